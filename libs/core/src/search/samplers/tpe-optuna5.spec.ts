import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../prng';
import type { Params, SearchSpace } from '../../spec/search-space';
import type { FrozenTrial } from '../types';
import { Study } from '../study';
import { bandwidths, ProductParzen } from './product-parzen';
import { RandomSampler } from './random-sampler';
import { sampleGroup } from './tpe-joint';
import { TPESampler } from './tpe-sampler';

const opts = { priorWeight: 1, considerMagicClip: true };

describe('bandwidths (Optuna 5)', () => {
  it('takes the larger neighbour gap, the outermost looking inwards, and clips', () => {
    // sorted with ends: 0 | 1 2 6 | 10 → inner: max(1, 4) = 4; ends look inwards: 1 and 4.
    expect(bandwidths([6, 1, 2], 0, 10, false)).toEqual([4, 1, 4]);
    // magic clip: at least 10 / min(100, 3 + 2) = 2.
    expect(bandwidths([6, 1, 2], 0, 10, true)).toEqual([4, 2, 4]);
    // one observation: its gaps to the ends, at most the range.
    expect(bandwidths([3], 0, 10, false)).toEqual([7]);
  });
});

describe('ProductParzen', () => {
  it('gives a choice the mass of kernels that spread priorWeight / (n + 1) over every choice', () => {
    const l = new ProductParzen([{ kind: 'choice', n: 3 }], [[0], [0], [1]], [1, 1, 1], opts);
    const row = (hit: boolean) => ((hit ? 1 : 0) + 0.25) / 1.75;
    const p0 = (2 * row(true) + row(false) + 1 / 3) / 4;
    const p2 = (3 * row(false) + 1 / 3) / 4;
    expect(Math.exp(l.logPdf([0]))).toBeCloseTo(p0, 12);
    expect(Math.exp(l.logPdf([2]))).toBeCloseTo(p2, 12);
    const total = [0, 1, 2].reduce((s, c) => s + Math.exp(l.logPdf([c])), 0);
    expect(total).toBeCloseTo(1, 12);
  });
});

/** Good trials have a = b, bad ones a ≠ b: no single param tells them apart, the pair does. */
const pairSpace: SearchSpace = {
  a: { type: 'choice', values: ['p', 'q'] },
  b: { type: 'choice', values: ['p', 'q'] },
};
const pairTrials = (pairs: string[], from: number): FrozenTrial[] =>
  pairs.map((ab, i) => ({
    number: from + i,
    state: 'completed',
    values: [0],
    intermediate: {},
    params: { a: ab[0]!, b: ab[1]! },
  }));

describe('TPESampler multivariate (Optuna 5)', () => {
  it('scores a pair of params jointly: every pick agrees, where the marginals are flat', () => {
    const below = pairTrials(['pp', 'qq', 'pp', 'qq'], 0);
    const above = pairTrials(['pq', 'qp', 'pq', 'qp', 'pq', 'qp', 'pq', 'qp'], 4);
    for (let seed = 1; seed <= 20; seed++) {
      const picked = sampleGroup(pairSpace, ['a', 'b'], below, above, mulberry32(seed), 24, opts);
      expect(picked.a).toBe(picked.b);
    }
  });

  it('beats random search and sets a conditional param only when it is active', () => {
    const space: SearchSpace = {
      opt: { type: 'choice', values: ['sgd', 'adam'] },
      lr: { type: 'loguniform', min: 1e-5, max: 1 },
      momentum: { type: 'uniform', min: 0, max: 1, when: { opt: 'sgd' } },
    };
    const f = (p: Params) =>
      (Math.log10(p.lr as number) + 3) ** 2 +
      (p.opt === 'sgd' ? ((p.momentum as number) - 0.9) ** 2 : 0.5);
    const best = (multivariateOrRandom: boolean | 'random', seed: number) => {
      const sampler =
        multivariateOrRandom === 'random'
          ? new RandomSampler()
          : new TPESampler({ multivariate: multivariateOrRandom });
      const study = new Study({ space, directions: ['minimize'], sampler, seed });
      for (let i = 0; i < 50; i++) {
        const { number, params } = study.ask();
        expect('momentum' in params).toBe(params.opt === 'sgd');
        study.tell(number, { state: 'completed', values: [f(params)] });
      }
      return study.bestTrial!.values![0]!;
    };
    const seeds = [1, 2, 3, 4, 5, 6];
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(seeds.map((s) => best(true, s)))).toBeLessThan(
      0.5 * mean(seeds.map((s) => best('random', s))),
    );
  });

  it('keeps the independent sampler for studies stored before the option existed', () => {
    const study = new Study({
      space: pairSpace,
      directions: ['minimize'],
      sampler: new TPESampler({ multivariate: true }),
      seed: 1,
    });
    const json = study.toJSON() as { sampler: Record<string, unknown> };
    expect(json.sampler['multivariate']).toBe(true);
    const { multivariate: _, ...stored } = json.sampler;
    const restored = Study.fromJSON({ ...json, sampler: stored });
    expect((restored.toJSON() as { sampler: { multivariate: boolean } }).sampler.multivariate).toBe(
      false,
    );
  });
});
