/**
 * How much of a sweep's learning curves a chart gets: at most `budget` points in all, so a
 * chart of 10 trials or of 10,000 stays smooth to draw and cheap to send. The database picks
 * the points (metric-repository's curvesForSweep); this says how many.
 */

/** All curves of a sweep together stay under this many points. */
export const CURVE_POINT_BUDGET = 20_000;

/**
 * At most this many curves: past it a chart is a solid block whose lines no one can tell
 * apart (and hovering it stutters), so the best trials keep more points each instead.
 */
export const MAX_CURVES = 1_000;

/** A curve keeps its first and last point (where it started and what the trial ended on). */
export const MIN_CURVE_POINTS = 2;

export interface CurveBudget {
  /** Trials that get a curve: all of them, or the best ones by objective when there are more. */
  curves: number;
  /** Points each curve keeps at most, evenly spaced over its epochs, first and last included. */
  pointsPerCurve: number;
}

/**
 * Splits `budget` points over `trials` curves: every trial gets a curve up to MAX_CURVES (and
 * up to budget / 2, so each keeps its first and last point); past that only the best trials
 * by objective are drawn. The total never exceeds the budget.
 */
export function curveBudget(trials: number, budget = CURVE_POINT_BUDGET): CurveBudget {
  if (!Number.isInteger(budget) || budget < MIN_CURVE_POINTS) {
    throw new Error(`curve budget must be an integer ≥ ${MIN_CURVE_POINTS} points, got ${budget}`);
  }
  const curves = Math.min(Math.max(trials, 0), MAX_CURVES, Math.floor(budget / MIN_CURVE_POINTS));
  return { curves, pointsPerCurve: Math.floor(budget / Math.max(curves, 1)) };
}

/**
 * The epochs a curve spanning [first, last] keeps with `points` points: evenly spaced, rounded
 * half up to whole epochs, first and last included (fewer when the span is shorter). The
 * repository computes these targets in SQL (taking the nearest stored epoch at or before each
 * when epochs have gaps); this states the rule for tests and readers.
 */
export function curveTargetEpochs(first: number, last: number, points: number): number[] {
  if (points < MIN_CURVE_POINTS || last <= first) return [first];
  const span = last - first;
  const out = new Set<number>();
  for (let i = 0; i < points; i++)
    out.add(first + Math.floor((i * span + Math.floor((points - 1) / 2)) / (points - 1)));
  return [...out];
}
