/**
 * How much of a sweep's learning curves a chart gets: at most `budget` points in all, so a
 * chart of 10 trials or of 10,000 stays smooth to draw and cheap to send. The database picks
 * the points (metric-repository's curvesForSweep); this says how many.
 */

/** All curves of a sweep together stay under this many points. */
export const CURVE_POINT_BUDGET = 20_000;

/** A curve keeps its first and last point (where it started and what the trial ended on). */
export const MIN_CURVE_POINTS = 2;

export interface CurveBudget {
  /** Trials that get a curve: all of them, or the best ones by objective when there are more. */
  curves: number;
  /** Points each curve keeps at most, evenly spaced over its epochs, first and last included. */
  pointsPerCurve: number;
}

/**
 * Splits `budget` points over `trials` curves. Every trial gets a curve while each can keep
 * its first and last point; past that (more than budget / 2 trials) only the best
 * budget / 2 trials are drawn, so the total never exceeds the budget.
 */
export function curveBudget(trials: number, budget = CURVE_POINT_BUDGET): CurveBudget {
  if (!Number.isInteger(budget) || budget < MIN_CURVE_POINTS) {
    throw new Error(`curve budget must be an integer ≥ ${MIN_CURVE_POINTS} points, got ${budget}`);
  }
  const curves = Math.min(Math.max(trials, 0), Math.floor(budget / MIN_CURVE_POINTS));
  return { curves, pointsPerCurve: Math.floor(budget / Math.max(curves, 1)) };
}

/**
 * The epochs a curve spanning [first, last] keeps with `points` points: evenly spaced, rounded
 * to whole epochs, first and last included (fewer when the span is shorter). The repository
 * computes the same targets in SQL; this is the rule it implements, stated once for tests.
 */
export function curveTargetEpochs(first: number, last: number, points: number): number[] {
  if (points < MIN_CURVE_POINTS || last <= first) return [first];
  const span = last - first;
  const out = new Set<number>();
  for (let i = 0; i < points; i++)
    out.add(first + Math.floor((i * span + Math.floor((points - 1) / 2)) / (points - 1)));
  return [...out];
}
