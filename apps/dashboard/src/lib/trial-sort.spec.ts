import { describe, expect, it } from 'vitest';
import { sortTrials, type SortableTrial } from './trial-sort';

const t = (number: number, objective: number | null, lr?: number): SortableTrial => ({
  number,
  status: objective === null ? 'running' : 'completed',
  objective,
  durationMs: null,
  worker: null,
  slot: null,
  params: lr === undefined ? {} : { lr },
});

describe('sortTrials', () => {
  const trials = [t(0, 0.5, 0.1), t(1, null, 0.01), t(2, 0.9), t(3, 0.7, 0.001)];

  it('sorts by objective both ways with unknown values last', () => {
    expect(sortTrials(trials, 'objective', 'desc').map((x) => x.number)).toEqual([2, 3, 0, 1]);
    expect(sortTrials(trials, 'objective', 'asc').map((x) => x.number)).toEqual([0, 3, 2, 1]);
  });

  it('sorts by a param column, trials without it last', () => {
    expect(sortTrials(trials, 'param:lr', 'asc').map((x) => x.number)).toEqual([3, 1, 0, 2]);
  });
});
