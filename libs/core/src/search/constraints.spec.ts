import { describe, expect, it } from 'vitest';
import type { Params, SearchSpace } from '../spec/search-space';
import { parseSweepSpec } from '../spec/sweep-spec';
import { constraintViolation, isInfeasibleTrial, missingConstraintValues } from './constraints';
import { splitTrials } from './samplers/tpe-split';
import { TPESampler } from './samplers/tpe-sampler';
import { Study } from './study';
import type { FrozenTrial } from './types';

const limits = [
  { name: 'params', max: 100 },
  { name: 'latency', min: 1, max: 5 },
];

describe('outcome constraints', () => {
  it('sum how far each value is off its bounds; a missing value is infinitely off', () => {
    expect(constraintViolation({ params: 100, latency: 3 }, limits)).toBe(0);
    expect(constraintViolation({ params: 130, latency: 0.5 }, limits)).toBe(30.5);
    expect(constraintViolation({ params: 1 }, limits)).toBe(Infinity);
    expect(missingConstraintValues({ params: 1, latency: NaN }, limits)).toEqual(['latency']);
  });

  it('are checked at launch: a bound is needed, names do not repeat', () => {
    const base = {
      name: 's',
      dataset: 'd',
      baseModel: 'b',
      algorithm: 'random',
      maxTrials: 3,
      searchSpace: { lr: { type: 'loguniform', min: 1e-4, max: 1 } },
    } as const;
    expect(() => parseSweepSpec({ ...base, constraints: [{ name: 'x' }] })).toThrow(
      /needs max, min or both/,
    );
    expect(() =>
      parseSweepSpec({
        ...base,
        constraints: [
          { name: 'x', max: 1 },
          { name: 'x', min: 0 },
        ],
      }),
    ).toThrow(/listed twice/);
    expect(parseSweepSpec(base).constraints).toEqual([]);
  });

  it('infeasible trials are never best nor on the front, and survive toJSON → fromJSON', () => {
    const study = new Study({
      space: { x: { type: 'uniform', min: 0, max: 1 } },
      directions: ['maximize'],
      sampler: new TPESampler(),
      seed: 1,
    });
    for (const [value, violation] of [
      [0.5, 0],
      [0.9, 2],
      [0.7, 0],
    ] as const) {
      const { number } = study.ask();
      study.tell(number, { state: 'completed', values: [value], violation });
    }
    expect(study.bestTrial?.values).toEqual([0.7]);
    expect(study.bestTrials.map((t) => t.number)).toEqual([2]);
    const again = Study.fromJSON(JSON.parse(JSON.stringify(study.toJSON())));
    expect(again.trials[1]?.violation).toBe(2);
    expect(again.bestTrial?.number).toBe(2);
  });

  it('TPE ranks infeasible trials after pruned ones, the least off first', () => {
    const t = (number: number, over: Partial<FrozenTrial>): FrozenTrial => ({
      number,
      params: {},
      state: 'completed',
      values: [1],
      intermediate: {},
      ...over,
    });
    const trials = [
      t(0, { values: [0.9], violation: 5 }),
      t(1, { values: [0.95], violation: 1 }),
      t(2, { state: 'pruned', values: null, intermediate: { 1: 0.1 } }),
      ...Array.from({ length: 17 }, (_, i) => t(3 + i, { values: [0.5 + i / 100] })),
    ];
    // 20 trials → 2 good: the best feasible ones, not the higher but infeasible 0.9 and 0.95.
    const { below, above } = splitTrials(trials, ['maximize']);
    expect(below.map((x) => x.number)).toEqual([18, 19]);
    expect(above.map((x) => x.number)).toContain(1);
  });

  it('TPE learns to avoid the infeasible region', () => {
    const space: SearchSpace = { x: { type: 'uniform', min: 0, max: 1 } };
    // Higher x is better, but x > 0.6 breaks the constraint (think: a model too large).
    const feasibleShare = (seed: number, told: boolean) => {
      const study = new Study({
        space,
        directions: ['maximize'],
        sampler: new TPESampler({ multivariate: true }),
        seed,
      });
      for (let i = 0; i < 50; i++) {
        const { number, params } = study.ask();
        const x = (params as Params & { x: number }).x;
        study.tell(number, {
          state: 'completed',
          values: [x],
          violation: told ? constraintViolation({ size: x }, [{ name: 'size', max: 0.6 }]) : 0,
        });
      }
      if (told) expect(study.bestTrial!.values![0]!).toBeLessThanOrEqual(0.6);
      return study.trials.slice(25).filter((t) => (t.params.x as number) <= 0.6).length / 25;
    };
    const mean = (told: boolean) =>
      [1, 2, 3].map((s) => feasibleShare(s, told)).reduce((a, b) => a + b, 0) / 3;
    // Unaware of the constraint TPE climbs to x = 1; aware, it stays near the boundary (the
    // best feasible point), about half of its late proposals on the feasible side.
    const aware = mean(true);
    const unaware = mean(false);
    expect(aware).toBeGreaterThan(0.4);
    expect(aware).toBeGreaterThan(2 * unaware);
  });
});

describe('isInfeasibleTrial', () => {
  const constraints = [{ name: 'trainable_params', max: 5 }];
  it('trusts the recorded mark and otherwise measures completed trials', () => {
    const values = { trainable_params: 10 };
    expect(isInfeasibleTrial({ status: 'completed', infeasible: true, values: {} }, [])).toBe(true);
    expect(isInfeasibleTrial({ status: 'completed', values }, constraints)).toBe(true);
    expect(
      isInfeasibleTrial({ status: 'completed', values: { trainable_params: 3 } }, constraints),
    ).toBe(false);
    expect(isInfeasibleTrial({ status: 'pruned', values }, constraints)).toBe(false);
    expect(isInfeasibleTrial({ status: 'completed', values }, [])).toBe(false);
  });
});
