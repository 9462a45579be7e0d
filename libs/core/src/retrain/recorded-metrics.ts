/** A candidate and its champion compared by the metric each recorded when it was trained. */
export interface RecordedMetrics {
  candidate: number | null;
  champion: number | null;
  /** `recorded`: each model's own validation metric, not a new evaluation. */
  method: 'recorded';
}

/**
 * The comparison when the models cannot be re-scored on a holdout (not tfjs, no saved champion,
 * or a metric other than accuracy): nothing is evaluated, each model brings its recorded metric.
 * For the synthetic trainer that metric is the evaluation itself.
 */
export function compareRecordedMetrics(
  candidate: number | null,
  champion: { metricValue: number | null } | null,
): RecordedMetrics {
  return { candidate, champion: champion?.metricValue ?? null, method: 'recorded' };
}
