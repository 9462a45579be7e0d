import { describe, expect, it } from 'vitest';
import { createSweepStudy } from '../plan';
import type { SearchSpace } from '../../spec/search-space';
import { parseSweepSpec } from '../../spec/sweep-spec';
import { Study } from '../study';
import type { FrozenTrial } from '../types';
import { BOHBSampler } from './bohb-sampler';
import { createSampler } from './create-sampler';

const space: SearchSpace = { x: { type: 'uniform', min: 0, max: 1 } };
const xs = (n: number, from: number) => Array.from({ length: n }, (_, i) => (i + from / 7) / n);

/** Pruned after epoch 1: good early when x < 0.2. */
const early = (n: number): FrozenTrial[] =>
  xs(n, 0).map((x, i) => ({
    number: i,
    params: { x },
    state: 'pruned',
    values: null,
    intermediate: { 1: x < 0.2 ? 0.9 : 0.1 },
  }));
/** Ran all 9 epochs: good in the end when x > 0.8 (slow starters). */
const full = (n: number, from: number): FrozenTrial[] =>
  xs(n, 3).map((x, i) => {
    const final = x > 0.8 ? 0.95 : 0.2;
    return {
      number: from + i,
      params: { x },
      state: 'completed',
      values: [final],
      intermediate: { 1: 0.1, 3: 0.1, 9: final },
    };
  });

const sampler = () =>
  createSampler({ type: 'bohb', maxResource: 9, multivariate: true }) as BOHBSampler;
const proposals = (trials: FrozenTrial[]) =>
  Array.from({ length: 20 }, (_, k) =>
    sampler().sample({
      space,
      trials,
      number: trials.length + k,
      directions: ['maximize'],
      seed: 5,
    }),
  ).map((p) => p.x as number);

describe('BOHBSampler', () => {
  it('models the highest budget level that has enough observations', () => {
    const cheap = early(30);
    // Only rung-1 observations: TPE at epoch 1 prefers small x.
    expect(proposals(cheap).filter((x) => x < 0.3).length).toBeGreaterThanOrEqual(15);
    // With 12 full runs the final values rule, and they prefer large x.
    const both = [...cheap, ...full(12, 30)];
    expect(proposals(both).filter((x) => x > 0.7).length).toBeGreaterThanOrEqual(15);
  });

  it('samples at random until some level has nStartupTrials observations', () => {
    const few = early(5);
    const ctx = { space, trials: few, number: 5, directions: ['maximize'] as const, seed: 2 };
    const random = createSampler({ type: 'random' }).sample(ctx);
    expect(sampler().sample(ctx)).toEqual(random);
  });

  it('comes from a spec with hyperband early stopping, and survives toJSON → fromJSON', () => {
    const base = {
      name: 's',
      dataset: 'd',
      baseModel: 'b',
      maxTrials: 10,
      searchSpace: { lr: { type: 'loguniform', min: 1e-4, max: 1 } },
    } as const;
    expect(() => parseSweepSpec({ ...base, algorithm: 'bohb' })).toThrow(
      /earlyStopping: \{ type: hyperband/,
    );
    const spec = parseSweepSpec({
      ...base,
      algorithm: 'bohb',
      earlyStopping: { type: 'hyperband', maxResource: 27 },
    });
    const study = createSweepStudy(spec);
    const json = study.toJSON() as { sampler: { type: string; maxResource: number } };
    expect(json.sampler).toMatchObject({ type: 'bohb', maxResource: 27, multivariate: true });
    expect(Study.fromJSON(json).toJSON()).toEqual(json);
  });
});
