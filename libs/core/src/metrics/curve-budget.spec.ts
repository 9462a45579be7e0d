import { describe, expect, it } from 'vitest';
import { CURVE_POINT_BUDGET, curveBudget, curveTargetEpochs, MAX_CURVES } from './curve-budget';

describe('curveBudget', () => {
  it('gives every trial a curve while each keeps first and last, within the budget', () => {
    expect(curveBudget(2, 80)).toEqual({ curves: 2, pointsPerCurve: 40 });
    expect(curveBudget(1000)).toEqual({ curves: 1000, pointsPerCurve: 20 });
    expect(curveBudget(10_000)).toEqual({ curves: MAX_CURVES, pointsPerCurve: 20 });
    expect(curveBudget(10_000, 200)).toEqual({ curves: 100, pointsPerCurve: 2 });
    expect(curveBudget(0)).toEqual({ curves: 0, pointsPerCurve: CURVE_POINT_BUDGET });
  });

  it('past MAX_CURVES (or budget / 2) draws only that many curves, never over the budget', () => {
    for (const trials of [3, 999, 10_001, 25_000, 1_000_000]) {
      const b = curveBudget(trials);
      expect(b.curves * b.pointsPerCurve).toBeLessThanOrEqual(CURVE_POINT_BUDGET);
      expect(b.pointsPerCurve).toBeGreaterThanOrEqual(2);
    }
    expect(curveBudget(25_000).curves).toBe(MAX_CURVES);
    expect(curveBudget(25_000, 1_000).curves).toBe(500);
  });

  it('refuses a budget that cannot hold one curve', () => {
    expect(() => curveBudget(10, 1)).toThrow(/curve budget must be an integer ≥ 2/);
  });
});

describe('curveTargetEpochs', () => {
  it('spaces points evenly over the span, first and last included', () => {
    expect(curveTargetEpochs(0, 99, 10)).toEqual([0, 11, 22, 33, 44, 55, 66, 77, 88, 99]);
    expect(curveTargetEpochs(0, 99, 2)).toEqual([0, 99]);
    expect(curveTargetEpochs(3, 7, 20)).toEqual([3, 4, 5, 6, 7]);
    expect(curveTargetEpochs(4, 4, 20)).toEqual([4]);
  });
});
