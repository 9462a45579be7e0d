import { describe, expect, it } from 'vitest';
import type { SweepDetail, TrialView } from '@retune/core';
import { clearParamImportanceCache, paramImportanceOf } from './param-importance';

const trial = (n: number, finishedAt: string): TrialView => {
  const headLr = Math.max(1e-4, 10 ** (-4 + (4 * ((n * 7) % 40)) / 40));
  return {
    id: `s-t${n}`,
    number: n,
    params: { headLr, noise: ((n * 13) % 40) / 40 },
    status: 'completed',
    objective: 1 - (Math.log10(headLr) + 2) ** 2 / 4,
    values: {},
    error: null,
    worker: null,
    slot: null,
    attempts: 1,
    startedAt: null,
    finishedAt,
    durationMs: null,
  };
};

const sweep = (trials: TrialView[]) =>
  ({
    id: 's',
    spec: {
      name: 'x',
      dataset: 'd',
      baseModel: 'b',
      algorithm: 'random',
      maxTrials: 40,
      searchSpace: {
        headLr: { type: 'loguniform', min: 1e-4, max: 1 },
        noise: { type: 'uniform', min: 0, max: 1 },
      },
    },
    trials,
  }) as unknown as SweepDetail;

describe('paramImportanceOf', () => {
  it('refits only when a trial has finished since, and returns copies', () => {
    clearParamImportanceCache();
    const trials = Array.from({ length: 40 }, (_, n) =>
      trial(n, `2026-01-01T00:00:${String(10 + n).padStart(2, '0')}Z`),
    );
    const first = paramImportanceOf(sweep(trials));
    const snapshot = structuredClone(first);
    expect(first.map((r) => r.param).sort()).toEqual(['headLr', 'noise']);
    first[0]!.importance = -1; // a caller mutating its result cannot poison the cache
    const again = paramImportanceOf(sweep(trials));
    expect(again).toEqual(snapshot);

    // One more finished trial: a new fit (different data, so possibly different shares).
    const more = [...trials, trial(40, '2026-01-01T00:01:00Z')];
    const refit = paramImportanceOf(sweep(more));
    expect(refit.map((r) => r.param).sort()).toEqual(['headLr', 'noise']);
    expect(refit.reduce((s, r) => s + r.importance, 0)).toBeCloseTo(1, 6);
  });
});
