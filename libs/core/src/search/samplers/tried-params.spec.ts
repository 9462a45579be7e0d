import { describe, expect, it } from 'vitest';
import type { Params, SearchSpace } from '../../spec/search-space';
import { Study } from '../study';
import type { FrozenTrial, Sampler } from '../types';
import { BOHBSampler } from './bohb-sampler';
import { createSampler } from './create-sampler';
import { TPESampler } from './tpe-sampler';
import { isDiscreteSpace, paramsKey, triedParams, untriedRandomTrial } from './tried-params';

// 3 × 4 × 2 = 24 points; the best (full, 0.003, 0) is one of them.
const space: SearchSpace = {
  freezeDepth: { type: 'choice', values: ['feature-extraction', 'partial', 'full'] },
  headLr: { type: 'choice', values: [0.0003, 0.001, 0.003, 0.01] },
  dropout: { type: 'int', min: 0, max: 1, step: 1 },
};
const size = 24;
const score = (p: Params) =>
  (p['freezeDepth'] === 'full' ? 0.3 : p['freezeDepth'] === 'partial' ? 0.2 : 0) +
  (p['headLr'] === 0.003 ? 0.4 : p['headLr'] === 0.001 ? 0.3 : 0.1) -
  0.05 * (p['dropout'] as number);

/** The params a study asks for in `n` trials, one at a time. */
function asked(sampler: Sampler, seed: number, n: number): Params[] {
  const study = new Study({ space, directions: ['maximize'], sampler, seed });
  const out: Params[] = [];
  for (let i = 0; i < n; i++) {
    const { number, params } = study.ask();
    out.push(params);
    study.tell(number, { state: 'completed', values: [score(params)] });
  }
  return out;
}
const distinct = (ps: Params[]) => new Set(ps.map(paramsKey)).size;

const trial = (number: number, params: Params, state: FrozenTrial['state']): FrozenTrial => ({
  number,
  params,
  state,
  values: state === 'completed' ? [0.5] : null,
  intermediate: {},
});

describe('tried params', () => {
  it('keys params whatever their key order, and counts every trial but failed ones and itself', () => {
    expect(paramsKey({ a: 1, b: 'x' })).toBe(paramsKey({ b: 'x', a: 1 }));
    expect(paramsKey({ a: 1 })).not.toBe(paramsKey({ a: 2 }));
    const tried = triedParams(
      [
        trial(0, { a: 1 }, 'completed'),
        trial(1, { a: 2 }, 'pruned'),
        trial(2, { a: 3 }, 'running'),
        trial(3, { a: 4 }, 'failed'),
        trial(4, { a: 5 }, 'running'),
      ],
      4,
    );
    expect([...tried].sort()).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }].map(paramsKey).sort());
  });

  it('only spaces of choices and ints are discrete', () => {
    expect(isDiscreteSpace(space)).toBe(true);
    expect(isDiscreteSpace({ ...space, lr: { type: 'loguniform', min: 1e-4, max: 1e-1 } })).toBe(
      false,
    );
  });

  it('a random draw avoids tried points while any is left, and repeats once all are tried', () => {
    const all = new Set<string>();
    for (let n = 0; n < size; n++) {
      const p = untriedRandomTrial(space, 7, n, all);
      expect(all.has(paramsKey(p))).toBe(false);
      all.add(paramsKey(p));
    }
    expect(all.size).toBe(size);
    expect(untriedRandomTrial(space, 7, size, all)).toEqual(
      untriedRandomTrial(space, 7, size, all),
    );
  });
});

describe('TPE with skipTried', () => {
  it('asks every point once before any repeat; without it, the same seeds repeat points', () => {
    let repeatsWithout = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const skipping = new TPESampler({ nStartupTrials: 4, multivariate: true, skipTried: true });
      expect(distinct(asked(skipping, seed, size))).toBe(size);
      const plain = new TPESampler({ nStartupTrials: 4, multivariate: true });
      repeatsWithout += size - distinct(asked(plain, seed, size));
    }
    expect(repeatsWithout).toBeGreaterThan(0);
  });

  it('also in the independent sampler and in BOHB, and is deterministic', () => {
    const independent = () => new TPESampler({ nStartupTrials: 4, skipTried: true });
    expect(distinct(asked(independent(), 3, size))).toBe(size);
    expect(asked(independent(), 3, 12)).toEqual(asked(independent(), 3, 12));
    const bohb = createSampler({
      type: 'bohb',
      nStartupTrials: 4,
      maxResource: 9,
      skipTried: true,
    }) as BOHBSampler;
    expect(distinct(asked(bohb, 3, size))).toBe(size);
  });

  it('leaves a space with continuous params as it was', () => {
    const mixed: SearchSpace = { ...space, lr: { type: 'loguniform', min: 1e-4, max: 1e-1 } };
    const ask = (skipTried: boolean) => {
      const study = new Study({
        space: mixed,
        directions: ['maximize'],
        sampler: new TPESampler({ nStartupTrials: 3, multivariate: true, skipTried }),
        seed: 5,
      });
      return Array.from({ length: 8 }, () => {
        const { number, params } = study.ask();
        study.tell(number, { state: 'completed', values: [score(params)] });
        return params;
      });
    };
    expect(ask(true)).toEqual(ask(false));
  });
});
