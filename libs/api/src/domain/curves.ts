import { downsampleCurve } from '@retune/core';
import { z } from 'zod';
import type { DomainDeps } from './deps';
import { NotFoundError } from './errors';

export const sweepCurvesSchema = z.object({
  metricName: z.string(),
  /** Points per trial after downsampling (the longest curve had `maxPoints` or fewer). */
  maxPoints: z.number().int(),
  curves: z.array(
    z.object({ trialId: z.string(), epochs: z.array(z.number()), values: z.array(z.number()) }),
  ),
});
export type SweepCurves = z.infer<typeof sweepCurvesSchema>;

/** All curves of a sweep together stay under this many points, so a chart of them stays smooth. */
export const CURVE_POINT_BUDGET = 20_000;
const MIN_POINTS_PER_TRIAL = 20;

/** Points each curve may keep so that `trials` curves fit the budget (never below 20). */
export function pointsPerTrial(trials: number, budget = CURVE_POINT_BUDGET): number {
  return Math.max(MIN_POINTS_PER_TRIAL, Math.floor(budget / Math.max(trials, 1)));
}

/**
 * One metric (default: the sweep's objective) of every trial, per epoch, downsampled so the
 * whole sweep fits CURVE_POINT_BUDGET points.
 */
export async function getSweepCurves(
  deps: Pick<DomainDeps, 'repos'>,
  sweepId: string,
  metric?: string,
): Promise<SweepCurves> {
  const sweep = await deps.repos.sweeps.objective(sweepId);
  if (!sweep) throw new NotFoundError(`sweep ${sweepId}`);
  const metricName = metric ?? sweep.metricName;
  const maxPoints = pointsPerTrial(sweep.trials);
  // The repository strides in SQL; a curve with a ragged end may keep one point over.
  const raw = await deps.repos.metrics.curvesForSweep(sweepId, metricName, maxPoints);
  return {
    metricName,
    maxPoints,
    curves: raw.map((c) => ({
      trialId: c.trialId,
      ...downsampleCurve(c.epochs, c.values, maxPoints),
    })),
  };
}
