import { describe, expect, it } from 'vitest';
import { mulberry32 } from './prng';
import { sampleRandomTrial } from './random';
import type { Params, SearchSpace } from '../spec/search-space';
import { fitRandomForest, paramImportances, treeMainEffects } from './importance';
import type { FrozenTrial } from './types';

const space: SearchSpace = {
  noise: { type: 'uniform', min: 0, max: 1 },
  lr: { type: 'loguniform', min: 1e-4, max: 1 },
  aug: { type: 'choice', values: ['none', 'light', 'heavy'] },
  extra: { type: 'int', min: 1, max: 8, step: 1, when: { aug: 'heavy' } },
};

function trials(n: number, f: (p: Params, r: number) => number, seed = 1): FrozenTrial[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const params = sampleRandomTrial(space, seed, i);
    return { number: i, params, state: 'completed', values: [f(params, rng())], intermediate: {} };
  });
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

describe('paramImportances (fANOVA on a random forest)', () => {
  it('ranks the one param that matters first and the noise param low', () => {
    // Depends on log(lr) only, plus a little observation noise.
    const ts = trials(120, (p, r) => (Math.log10(p.lr as number) + 2) ** 2 + 0.05 * r);
    const imp = paramImportances(ts, space, { seed: 3 });
    expect(Object.keys(imp)[0]).toBe('lr');
    expect(imp.lr!).toBeGreaterThan(0.8);
    expect(imp.noise!).toBeLessThan(0.05);
    expect(sum(imp)).toBeCloseTo(1, 10);
    // Conditional params that are not set in every trial are left out.
    expect(imp).not.toHaveProperty('extra');
  });

  it('handles a choice that matters', () => {
    const ts = trials(
      90,
      (p, r) => (p.aug === 'light' ? 1 : 0) + 0.05 * r + 0.01 * (p.noise as number),
    );
    const imp = paramImportances(ts, space, { seed: 1 });
    expect(Object.keys(imp)).toEqual(['aug', expect.any(String), expect.any(String)]);
    expect(imp.aug!).toBeGreaterThan(0.8);
  });

  it('is deterministic for a seed and ignores failed trials', () => {
    const ts = trials(60, (p) => p.noise as number);
    const withFailed: FrozenTrial[] = [
      ...ts,
      { number: 60, params: ts[0]!.params, state: 'failed', values: null, intermediate: {} },
    ];
    expect(paramImportances(withFailed, space, { seed: 5 })).toEqual(
      paramImportances(ts, space, { seed: 5 }),
    );
    expect(() => paramImportances(ts.slice(0, 1), space)).toThrow(/at least 2/);
    expect(() => paramImportances(ts, space, { params: ['extra'] })).toThrow(/not set in every/);
  });

  it('decomposes a tree exactly: additive function → main effects sum to 1', () => {
    // f(x, y) = [x > .5] + 2·[y > .5] on the unit square: Var = 1/4 + 4/4, main effects .2 and .8.
    const tree = {
      leaf: false as const,
      feature: 0,
      threshold: 0.5,
      left: {
        leaf: false as const,
        feature: 1,
        threshold: 0.5,
        left: { leaf: true as const, value: 0 },
        right: { leaf: true as const, value: 2 },
      },
      right: {
        leaf: false as const,
        feature: 1,
        threshold: 0.5,
        left: { leaf: true as const, value: 1 },
        right: { leaf: true as const, value: 3 },
      },
    };
    const fx = treeMainEffects(tree, [
      [0, 1],
      [0, 1],
    ])!;
    expect(fx[0]).toBeCloseTo(0.2, 12);
    expect(fx[1]).toBeCloseTo(0.8, 12);
    // x·y-style interaction: f = [x > .5 and y > .5] → main effects 1/3 each (of var 3/16).
    const inter = {
      ...tree,
      left: { leaf: true as const, value: 0 },
      right: {
        ...tree.right,
        left: { leaf: true as const, value: 0 },
        right: { leaf: true as const, value: 1 },
      },
    };
    const fi = treeMainEffects(inter, [
      [0, 1],
      [0, 1],
    ])!;
    expect(fi[0]).toBeCloseTo(1 / 3, 12);
    expect(fi[1]).toBeCloseTo(1 / 3, 12);
  });

  it('the forest fits a smooth function', () => {
    const rng = mulberry32(8);
    const X = Array.from({ length: 200 }, () => [rng(), rng()]);
    const y = X.map(([a]) => Math.sin(6 * a!));
    const forest = fitRandomForest(X, y, { seed: 2, nTrees: 32 });
    for (const a of [0.1, 0.3, 0.5, 0.7, 0.9]) {
      expect(forest.predict([a, 0.5])).toBeCloseTo(Math.sin(6 * a), 1);
    }
  });
});
