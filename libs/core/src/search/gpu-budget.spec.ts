import { describe, expect, it } from 'vitest';
import { parseSweepSpec, SpecError } from '../spec/sweep-spec';
import { formatGpuHours } from '../format/format';
import { extendGpuBudget, gpuBudgetAffords, initialGpuBudget, spendGpuSeconds } from './gpu-budget';
import { plannedTrialCount, TRIAL_CAP_UNDER_GPU_BUDGET } from './plan';

const base = {
  name: 'b',
  dataset: 'demo:mnist-5-9',
  baseModel: 'demo:mnist-0-4-cnn',
  algorithm: 'random',
  searchSpace: { lr: { type: 'uniform', min: 0, max: 1 } },
};

describe('budget.gpuHours in the spec', () => {
  it('stands in for maxTrials, which then caps at the trial maximum', () => {
    const spec = parseSweepSpec({ ...base, budget: { gpuHours: 2 } });
    expect(spec.budget).toEqual({ gpuHours: 2 });
    expect(plannedTrialCount(spec)).toBe(TRIAL_CAP_UNDER_GPU_BUDGET);
    expect(
      plannedTrialCount(parseSweepSpec({ ...base, maxTrials: 5, budget: { gpuHours: 2 } })),
    ).toBe(5);
  });

  it('refuses a budget of 0 or less, naming the field', () => {
    for (const gpuHours of [0, -1]) {
      expect(() => parseSweepSpec({ ...base, maxTrials: 3, budget: { gpuHours } })).toThrow(
        /budget\.gpuHours: gpuHours must be more than 0/,
      );
    }
    expect(() => parseSweepSpec({ ...base, budget: { gpuHour: 1 } })).toThrow(SpecError);
  });

  it('still asks random search for maxTrials or a budget', () => {
    expect(() => parseSweepSpec(base)).toThrow(/maxTrials.*or budget: \{ gpuHours \}/);
  });
});

describe('gpuBudgetAffords', () => {
  it('starts only the first wave before any trial has finished', () => {
    const b = initialGpuBudget({ budget: { gpuHours: 1 } })!;
    expect(gpuBudgetAffords(b, 0, 2)).toBe(true);
    expect(gpuBudgetAffords(b, 1, 2)).toBe(true);
    expect(gpuBudgetAffords(b, 2, 2)).toBe(false);
  });

  it("counts every trial in flight and the next at the finished trials' mean", () => {
    const b = initialGpuBudget({ budget: { gpuHours: 1 } })!; // 3600 s
    spendGpuSeconds(b, 1000);
    spendGpuSeconds(b, 1000);
    expect(gpuBudgetAffords(b, 0, 4)).toBe(true); // 2000 + 1000 ≤ 3600
    expect(gpuBudgetAffords(b, 1, 4)).toBe(false); // 2000 + 2·1000 > 3600
    spendGpuSeconds(b, 1700);
    expect(gpuBudgetAffords(b, 0, 4)).toBe(false); // spent 3700
  });

  it('lets an extension add GPU hours and refuses non-positive ones', () => {
    const b = initialGpuBudget({ budget: { gpuHours: 1 } })!;
    spendGpuSeconds(b, 3600);
    expect(gpuBudgetAffords(b, 0, 1)).toBe(false);
    expect(extendGpuBudget(b, 0)).toBe(false);
    expect(extendGpuBudget(b, 1.5)).toBe(true);
    expect(b.budgetSeconds).toBe(2.5 * 3600);
    expect(gpuBudgetAffords(b, 0, 1)).toBe(true);
  });

  it('has no state without a budget', () => {
    expect(initialGpuBudget({})).toBeUndefined();
  });
});

describe('formatGpuHours', () => {
  it('reads used against budget in GPU hours', () => {
    expect(formatGpuHours(4320, 2)).toBe('1.2 / 2 GPU-h');
    expect(formatGpuHours(180, null)).toBe('0.05 GPU-h');
  });
});
