import { curveBudget } from '@retune/core';
import { z } from 'zod';
import type { DomainDeps } from './deps';
import { NotFoundError } from './errors';

export const sweepCurvesSchema = z.object({
  metricName: z.string(),
  /** Points each curve keeps at most (core's curveBudget). */
  maxPoints: z.number().int(),
  curves: z.array(
    z.object({ trialId: z.string(), epochs: z.array(z.number()), values: z.array(z.number()) }),
  ),
});
export type SweepCurves = z.infer<typeof sweepCurvesSchema>;

/**
 * One metric (default: the sweep's objective) of the sweep's trials, per epoch, within core's
 * CURVE_POINT_BUDGET: core's curveBudget says how many curves and points, the repository picks
 * them in SQL (first and last epoch of each curve kept; the best trials when not all fit).
 */
export async function getSweepCurves(
  deps: Pick<DomainDeps, 'repos'>,
  sweepId: string,
  metric?: string,
): Promise<SweepCurves> {
  const sweep = await deps.repos.sweeps.objective(sweepId);
  if (!sweep) throw new NotFoundError(`sweep ${sweepId}`);
  const metricName = metric ?? sweep.metricName;
  const budget = curveBudget(sweep.trials);
  const curves = await deps.repos.metrics.curvesForSweep(
    sweepId,
    metricName,
    budget,
    sweep.metricGoal,
  );
  return { metricName, maxPoints: budget.pointsPerCurve, curves };
}
