import { describe, expect, it } from 'vitest';
import type { Params, SearchSpace } from '../../spec/search-space';
import type { MetricGoal } from '../../spec/sweep-spec';
import { sampleRandomTrial } from '../random';
import {
  createSampler,
  GridSampler,
  RandomSampler,
  splitTrials,
  TPESampler,
  tpeGamma,
} from './index';
import type { FrozenTrial, Sampler } from '../types';
import { Study } from '../study';

const space: SearchSpace = {
  lr: { type: 'loguniform', min: 1e-5, max: 1 },
  depth: { type: 'int', min: 0, max: 12, step: 1 },
  opt: { type: 'choice', values: ['sgd', 'adam', 'rmsprop', 'adagrad'] },
};

/** Shifted quadratic in log10(lr) × depth × choice; 0 at lr = 10^-2.5, depth = 7, adam. */
const objective = (p: Params) =>
  (Math.log10(p.lr as number) + 2.5) ** 2 +
  ((p.depth as number) - 7) ** 2 / 16 +
  (p.opt === 'adam' ? 0 : 1);

function bestAfter(sampler: Sampler, seed: number, n: number): number {
  const study = new Study({ space, directions: ['minimize'], sampler, seed });
  for (let i = 0; i < n; i++) {
    const { number, params } = study.ask();
    study.tell(number, { state: 'completed', values: [objective(params)] });
  }
  return study.bestTrial!.values![0]!;
}

const trial = (
  number: number,
  state: FrozenTrial['state'],
  values: number[] | null,
  intermediate: Record<number, number> = {},
  params: Params = {},
): FrozenTrial => ({ number, state, values, intermediate, params });

describe('TPESampler', () => {
  it('beats random search on a known objective (10 fixed seeds × 60 trials)', () => {
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const tpe = seeds.map((s) => bestAfter(new TPESampler(), s, 60));
    const rnd = seeds.map((s) => bestAfter(new RandomSampler(), s, 60));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // Measured: TPE ≈ 0.037, random ≈ 0.22 mean regret (the optimum is 0).
    expect(mean(tpe)).toBeLessThan(0.4 * mean(rnd));
    expect(tpe.filter((v, i) => v <= rnd[i]!).length).toBeGreaterThanOrEqual(8);
  });

  it('samples exactly like random search during the start-up trials', () => {
    const study = new Study({
      space,
      directions: ['minimize'],
      sampler: new TPESampler(),
      seed: 4,
    });
    for (let i = 0; i < 10; i++) {
      const { number, params } = study.ask();
      expect(params).toEqual(sampleRandomTrial(space, 4, number));
      study.tell(number, { state: 'completed', values: [objective(params)] });
    }
    expect(study.ask().params).not.toEqual(sampleRandomTrial(space, 4, 10));
  });

  it('concentrates on the good region of a maximised objective', () => {
    const study = new Study({
      space,
      directions: ['maximize'],
      sampler: new TPESampler(),
      seed: 2,
    });
    for (let i = 0; i < 80; i++) {
      const { number, params } = study.ask();
      study.tell(number, { state: 'completed', values: [-objective(params)] });
    }
    const late = study.trials.slice(40);
    expect(late.filter((t) => t.params.opt === 'adam').length).toBeGreaterThan(30);
    const lrs = late.map((t) => Math.log10(t.params.lr as number)).sort((a, b) => a - b);
    const median = lrs[20]!;
    expect(Math.abs(median + 2.5)).toBeLessThan(0.5);
  });
});

describe('splitTrials', () => {
  it('uses gamma = min(ceil(0.1 n), 25)', () => {
    expect([1, 10, 11, 100, 250, 1000].map(tpeGamma)).toEqual([1, 1, 2, 10, 25, 25]);
  });

  it('ranks completed trials first, then pruned ones by how far they got; ignores failed/running', () => {
    const trials = [
      trial(0, 'completed', [5]),
      trial(1, 'pruned', null, { 1: 0.1, 3: 9 }), // got to step 3
      trial(2, 'pruned', null, { 1: 0.2 }), // stopped at step 1
      trial(3, 'failed', null),
      trial(4, 'running', null, { 1: 0 }),
      trial(5, 'completed', [7]),
      trial(6, 'pruned', null, { 3: 8 }),
      trial(7, 'pruned', null),
      trial(8, 'completed', [NaN]),
      ...Array.from({ length: 8 }, (_, i) => trial(9 + i, 'completed', [10 + i])),
    ];
    // 14 usable (10 completed with a value, 4 pruned): gamma = 2 good ones.
    const { below, above, n } = splitTrials(trials, ['minimize']);
    expect(n).toBe(14);
    expect(below.map((t) => t.number)).toEqual([0, 5]);
    expect(above.map((t) => t.number)).toEqual([1, 2, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16]);
    // maximize: the largest completed values are good
    expect(splitTrials(trials, ['maximize']).below.map((t) => t.number)).toEqual([15, 16]);
    // Only pruned trials: the one that got furthest, then by its last value.
    const pruned = splitTrials(
      trials.filter((t) => t.state === 'pruned'),
      ['minimize'],
    );
    expect(pruned.below.map((t) => t.number)).toEqual([6]);
  });

  it('multi-objective: good trials are the first non-dominated fronts', () => {
    const dirs: MetricGoal[] = ['minimize', 'minimize'];
    const pts = [
      [0, 10],
      [10, 0],
      [5, 5],
      [6, 6],
      [7, 7],
      [8, 8],
      [9, 9],
      [10, 10],
      [11, 11],
      [12, 12],
      [13, 13],
      [2, 8],
      [8, 2],
      [1, 1],
      [14, 14],
      [15, 15],
      [16, 16],
      [17, 17],
      [18, 18],
      [19, 19],
      [20, 20],
    ];
    const trials = pts.map((v, i) => trial(i, 'completed', v));
    // n = 21 → gamma 3: the Pareto front is {[0,10],[10,0],[1,1]}, exactly 3.
    expect(splitTrials(trials, dirs).below.map((t) => t.number)).toEqual([0, 1, 13]);
    // With 31 trials gamma = 4: front (3) + 1 of the next front {[5,5],[2,8],[8,2]} by crowding:
    // the boundary points of that front ([2,8] and [8,2]) are infinitely isolated, lowest number wins.
    const more = [
      ...trials,
      ...Array.from({ length: 10 }, (_, i) => trial(21 + i, 'completed', [30 + i, 30 + i])),
    ];
    expect(splitTrials(more, dirs).below.map((t) => t.number)).toEqual([0, 1, 11, 13]);
  });
});

describe('reproducibility', () => {
  const run = (sampler: Sampler, seed: number, n = 30, pruneEvery = 0) => {
    const study = new Study({ space, directions: ['minimize'], sampler, seed });
    const out: Params[] = [];
    for (let i = 0; i < n; i++) {
      const { number, params } = study.ask();
      out.push(params);
      if (pruneEvery && i % pruneEvery === 0) {
        study.report(number, 1, objective(params) + 1);
        study.tell(number, { state: 'pruned' });
      } else study.tell(number, { state: 'completed', values: [objective(params)] });
    }
    return out;
  };

  for (const [name, make] of [
    ['random', () => new RandomSampler()],
    ['tpe', () => new TPESampler()],
  ] as const) {
    it(`${name}: same seed → same trials, other seed → other trials`, () => {
      expect(run(make(), 11, 30, 4)).toEqual(run(make(), 11, 30, 4));
      expect(run(make(), 12)).not.toEqual(run(make(), 11));
    });
  }

  it('grid: always the same order', () => {
    const g: SearchSpace = {
      a: { type: 'int', min: 0, max: 2, step: 1 },
      b: { type: 'choice', values: ['x', 'y'] },
    };
    const study = new Study({
      space: g,
      directions: ['minimize'],
      sampler: new GridSampler(),
      seed: 3,
    });
    const asked = Array.from({ length: 6 }, () => study.ask().params);
    expect(asked).toEqual([
      { a: 0, b: 'x' },
      { a: 0, b: 'y' },
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 2, b: 'x' },
      { a: 2, b: 'y' },
    ]);
    expect(() => study.ask()).toThrow(/6 points/);
  });

  it('builds built-in samplers from their JSON config', () => {
    expect(createSampler({ type: 'tpe' }).toJSON()).toEqual({
      type: 'tpe',
      nStartupTrials: 10,
      nEiCandidates: 24,
      priorWeight: 1,
      considerMagicClip: true,
      constantLiar: false,
      multivariate: false,
      skipTried: false,
    });
    expect(new TPESampler({ nStartupTrials: 3 }).toJSON()).toMatchObject({ nStartupTrials: 3 });
    expect(() => createSampler({ type: 'tpe', nEiCandidates: 0 })).toThrow();
  });
});
