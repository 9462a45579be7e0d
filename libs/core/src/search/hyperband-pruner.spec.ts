import { describe, expect, it } from 'vitest';
import { reportEpochs } from './plan';
import { parseSweepSpec } from '../spec/sweep-spec';
import { createPruner } from './create-pruner';
import { HyperbandPruner } from './hyperband-pruner';
import type { FrozenTrial } from './types';

const hb = () => new HyperbandPruner({ minResource: 1, maxResource: 9, reductionFactor: 3 });

const running = (number: number, curve: number[]): FrozenTrial => ({
  number,
  params: {},
  state: 'running',
  values: null,
  intermediate: Object.fromEntries(curve.map((v, i) => [i + 1, v])),
});

describe('HyperbandPruner', () => {
  it('splits trials over ⌊log_η(max/min)⌋ + 1 brackets in the paper’s proportions (9 : 5 : 3)', () => {
    const p = hb();
    expect(p.bracketCount).toBe(3);
    const counts = [0, 0, 0];
    for (let n = 0; n < 1700; n++) counts[p.bracketOf(n)]!++;
    expect(counts[0]! / 1700).toBeCloseTo(9 / 17, 1);
    expect(counts[1]! / 1700).toBeCloseTo(5 / 17, 1);
    expect(counts[2]! / 1700).toBeCloseTo(3 / 17, 1);
  });

  it('prunes a trial only at its own bracket’s rungs, against its own bracket’s trials', () => {
    const p = hb();
    const numbers = Array.from({ length: 60 }, (_, n) => n);
    const inBracket = (s: number) => numbers.filter((n) => p.bracketOf(n) === s);
    const [a, b] = inBracket(0);
    const [c] = inBracket(1);
    const [d] = inBracket(2);
    // a did well at epoch 1; b is worse there and is pruned at bracket 0's first rung.
    const trials = [running(a!, [0.9]), running(b!, [0.1])];
    expect(p.shouldPrune(trials[1]!, 1, trials, 'maximize')).toBe(true);
    // c is just as bad at epoch 1, but bracket 1 first looks at epoch 3, and a is not its mate.
    const withC = [...trials, running(c!, [0.1])];
    expect(p.shouldPrune(withC[2]!, 1, withC, 'maximize')).toBe(false);
    // d's bracket (2) has its only rung at epoch 9 = maxResource: d runs to the end.
    const withD = [...withC, running(d!, [0.1, 0.1, 0.1])];
    expect(p.shouldPrune(withD[3]!, 3, withD, 'maximize')).toBe(false);
  });

  it('round-trips its config and reports the rung epochs to the workflow', () => {
    const p = createPruner({ type: 'hyperband', maxResource: 9 });
    expect(p.toJSON()).toEqual({
      type: 'hyperband',
      minResource: 1,
      maxResource: 9,
      reductionFactor: 3,
    });
    expect(reportEpochs(p.toJSON())).toEqual([0, 2, 8]);
  });

  it('is asked for in a spec as earlyStopping: { type: hyperband, maxResource }', () => {
    const base = {
      name: 's',
      dataset: 'd',
      baseModel: 'b',
      algorithm: 'tpe',
      maxTrials: 10,
      searchSpace: { lr: { type: 'loguniform', min: 1e-4, max: 1 } },
    } as const;
    expect(() => parseSweepSpec({ ...base, earlyStopping: { type: 'hyperband' } })).toThrow(
      /maxResource/,
    );
    expect(() =>
      parseSweepSpec({
        ...base,
        earlyStopping: { type: 'hyperband', maxResource: 9, minResource: 10 },
      }),
    ).toThrow(/at least minResource/);
    expect(
      parseSweepSpec({ ...base, earlyStopping: { type: 'hyperband', maxResource: 27 } })
        .earlyStopping,
    ).toMatchObject({ type: 'hyperband', maxResource: 27 });
  });
});
