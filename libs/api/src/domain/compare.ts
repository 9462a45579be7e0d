import { addToCurve, type ParamValue } from '@retune/core';
import type { TrialDetailView } from '@retune/db';
import { z } from 'zod';
import type { DomainDeps } from './deps';
import { InvalidInputError, NotFoundError } from './errors';
import { trialDetailSchema } from './trial-queries';

/** Compare is for reading side by side; more trials than this belong on a sweep page. */
export const MAX_COMPARE_TRIALS = 20;

const curveSchema = z.object({ epochs: z.array(z.number()), values: z.array(z.number()) });

export const comparedTrialSchema = trialDetailSchema.extend({
  /** Every metric the trainer reported, per epoch (the epoch's last step). */
  curves: z.record(z.string(), curveSchema),
});

export const comparisonSchema = z.object({
  trials: z.array(comparedTrialSchema),
  /** Union of the trials' parameter names, in first-seen order. */
  params: z.array(z.string()),
  /** Parameters whose value is not the same in every trial (absent counts as a value). */
  differingParams: z.array(z.string()),
  /** Union of the metric names in curves and final values, sorted. */
  metrics: z.array(z.string()),
});
export type Comparison = z.infer<typeof comparisonSchema>;

export function differingParams(trials: { params: Record<string, ParamValue> }[]): string[] {
  const names = [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
  return names.filter(
    (p) => new Set(trials.map((t) => JSON.stringify(t.params[p] ?? null))).size > 1,
  );
}

/** Trials of one or several sweeps, with their curves, for the compare page and its exports. */
export async function compareTrials(
  deps: Pick<DomainDeps, 'repos'>,
  trialIds: string[],
): Promise<Comparison> {
  const ids = [...new Set(trialIds)];
  if (ids.length > MAX_COMPARE_TRIALS) {
    throw new InvalidInputError(`compare at most ${MAX_COMPARE_TRIALS} trials`, [
      { path: 'trialIds', message: `compare at most ${MAX_COMPARE_TRIALS} trials` },
    ]);
  }
  const trials: TrialDetailView[] = await deps.repos.trials.details(ids);
  const missing = ids.filter((id) => !trials.some((t) => t.id === id));
  if (missing.length > 0) throw new NotFoundError(`trial ${missing.join(', ')}`);
  const points = await deps.repos.metrics.forTrials(ids);
  const curves = new Map<string, Record<string, { epochs: number[]; values: number[] }>>();
  for (const p of points) {
    const byMetric = curves.get(p.trialId) ?? {};
    curves.set(p.trialId, byMetric);
    addToCurve((byMetric[p.name] ??= { epochs: [], values: [] }), p);
  }
  const metrics = new Set<string>();
  for (const t of trials) for (const k of Object.keys(t.values)) metrics.add(k);
  for (const p of points) metrics.add(p.name);
  return {
    trials: trials.map((t) => ({ ...t, curves: curves.get(t.id) ?? {} })),
    params: [...new Set(trials.flatMap((t) => Object.keys(t.params)))],
    differingParams: differingParams(trials),
    metrics: [...metrics].sort(),
  };
}
