import { describe, expect, it } from 'vitest';
import { budgetExtendable } from './search/plan';
import { isLiveSweep, SWEEP_STATUSES } from './views';

describe('sweep status rules', () => {
  it('counts queued, running and paused sweeps as live, finished ones not', () => {
    expect(SWEEP_STATUSES.filter(isLiveSweep)).toEqual(['queued', 'running', 'paused']);
  });

  it('lets random and TPE sweeps be extended, never a grid', () => {
    expect(budgetExtendable({ algorithm: 'grid' })).toBe(false);
    expect(budgetExtendable({ algorithm: 'random' })).toBe(true);
    expect(budgetExtendable({ algorithm: 'tpe' })).toBe(true);
  });
});
