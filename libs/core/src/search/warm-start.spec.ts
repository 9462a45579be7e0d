import { describe, expect, it } from 'vitest';
import type { Params, SearchSpace } from '../spec/search-space';
import { paramsWithinSpace } from '../spec/conditions';
import { TPESampler } from './samplers';
import { Study } from './study';

const space: SearchSpace = {
  lr: { type: 'loguniform', min: 1e-5, max: 1 },
  depth: { type: 'int', min: 0, max: 12, step: 1 },
  aug: { type: 'choice', values: ['none', 'light', 'heavy'] },
};

/** 0 at lr = 10^-2.5, depth = 7, light. */
const loss = (p: Params) =>
  (Math.log10(p.lr as number) + 2.5) ** 2 +
  ((p.depth as number) - 7) ** 2 / 16 +
  (p.aug === 'light' ? 0 : 1);

/** Finished trials of an "earlier sweep": a random study run to completion. */
function earlierTrials(seed: number, n: number) {
  const study = new Study({
    space,
    directions: ['minimize'],
    sampler: new TPESampler({ nStartupTrials: n }),
    seed,
  });
  for (let i = 0; i < n; i++) {
    const { number, params } = study.ask();
    study.tell(number, { state: 'completed', values: [loss(params)] });
  }
  return study.trials.map((t) => ({ params: t.params, values: t.values! }));
}

function bestOfFirst(n: number, seed: number, priors: ReturnType<typeof earlierTrials>): number {
  const study = new Study({
    space,
    directions: ['minimize'],
    sampler: new TPESampler({ nStartupTrials: 10 }),
    seed,
  });
  study.addPriors(priors);
  for (let i = 0; i < n; i++) {
    const { number, params } = study.ask();
    study.tell(number, { state: 'completed', values: [loss(params)] });
  }
  return study.bestTrial!.values![0]!;
}

describe('warm start', () => {
  it('lets TPE skip its random start-up and do better early than a cold start', () => {
    const priors = earlierTrials(99, 40);
    let warmWins = 0;
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    for (const seed of seeds) {
      if (bestOfFirst(5, seed, priors) < bestOfFirst(5, seed, [])) warmWins++;
    }
    expect(warmWins).toBeGreaterThanOrEqual(6);
  });

  it('keeps priors out of the study’s own trials and best trial, and through JSON', () => {
    const study = new Study({
      space,
      directions: ['minimize'],
      sampler: new TPESampler(),
      seed: 3,
    });
    expect(study.addPriors(earlierTrials(5, 12))).toBe(12);
    expect(study.size).toBe(0);
    expect(study.bestTrial).toBeNull();
    expect(study.priors.map((t) => t.number).slice(0, 3)).toEqual([-1, -2, -3]);

    const again = Study.fromJSON(JSON.parse(JSON.stringify(study.toJSON())));
    expect(again.priors).toEqual(study.priors);
    expect(again.ask().params).toEqual(study.ask().params);
  });

  it('drops values outside the space and trials without usable values', () => {
    const study = new Study({ space, directions: ['minimize'], sampler: new TPESampler() });
    const kept = study.addPriors([
      { params: { lr: 5, depth: 3, aug: 'light', other: 1 }, values: [0.5] }, // lr out of range
      { params: { unknown: 1 }, values: [0.2] }, // nothing fits
      { params: { lr: 0.01, depth: 2, aug: 'none' }, values: [Number.NaN] },
      { params: { lr: 0.01, depth: 2, aug: 'none' }, values: [1, 2] }, // wrong objective count
    ]);
    expect(kept).toBe(1);
    expect(study.priors[0]!.params).toEqual({ depth: 3, aug: 'light' });
  });

  it('paramsWithinSpace honours conditions and int-ness', () => {
    const conditional: SearchSpace = {
      freeze: { type: 'choice', values: ['all', 'some'] },
      baseLr: { type: 'loguniform', min: 1e-5, max: 1e-2, when: { freeze: 'some' } },
      units: { type: 'int', min: 8, max: 64, step: 8 },
    };
    expect(paramsWithinSpace(conditional, { freeze: 'all', baseLr: 1e-3, units: 16 })).toEqual({
      freeze: 'all',
      units: 16,
    });
    expect(paramsWithinSpace(conditional, { freeze: 'some', baseLr: 1e-3, units: 16.5 })).toEqual({
      freeze: 'some',
      baseLr: 1e-3,
    });
    expect(paramsWithinSpace(conditional, { nothing: 1 })).toBeNull();
  });
});

describe('constant liar', () => {
  it('spreads parallel asks: a running trial pushes the next proposal away from it', () => {
    const distanceFromRunning = (constantLiar: boolean, seed: number) => {
      const study = new Study({
        space,
        directions: ['minimize'],
        sampler: new TPESampler({ nStartupTrials: 10, constantLiar }),
        seed,
      });
      for (let i = 0; i < 30; i++) {
        const { number, params } = study.ask();
        study.tell(number, { state: 'completed', values: [loss(params)] });
      }
      // Four asks in a row with none finished, as with maxParallel 4.
      const asked = [study.ask(), study.ask(), study.ask(), study.ask()].map((a) => a.params);
      const distinct = new Set(asked.map((p) => `${p.depth}/${p.aug}`)).size;
      const spread =
        Math.max(...asked.map((p) => Math.log10(p.lr as number))) -
        Math.min(...asked.map((p) => Math.log10(p.lr as number)));
      return distinct + spread;
    };
    let wider = 0;
    for (const seed of [11, 12, 13, 14, 15, 16]) {
      if (distanceFromRunning(true, seed) > distanceFromRunning(false, seed)) wider++;
    }
    expect(wider).toBeGreaterThanOrEqual(4);
  });

  it('is off by default in the sampler and on by default in sweep specs', async () => {
    expect(new TPESampler().constantLiar).toBe(false);
    const { parseSweepSpec } = await import('../spec/sweep-spec');
    const spec = parseSweepSpec({
      name: 'x',
      dataset: 'd',
      baseModel: 'b',
      algorithm: 'tpe',
      maxTrials: 3,
      searchSpace: { lr: { type: 'uniform', min: 0, max: 1 } },
    });
    expect(spec.tpe.constantLiar).toBe(true);
  });
});
