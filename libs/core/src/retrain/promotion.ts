import type { MetricGoal } from '../spec/sweep-spec';

export interface PromotionInput {
  /** The candidate's metric on the holdout; null when it produced none. */
  candidate: number | null;
  /** The champion's metric on the same holdout; null when there is no champion (or no value). */
  champion: number | null;
  goal: MetricGoal;
  /** The candidate must beat the champion by at least this much (>= 0). */
  margin: number;
  metricName?: string;
}

export interface PromotionDecision {
  promote: boolean;
  reason: string;
}

const fmt = (v: number) => Number(v.toPrecision(6)).toString();

/**
 * Promote a candidate only if it is strictly better than the champion and by at least the
 * margin. A tie never promotes (retraining churn without a gain is not worth a new champion).
 */
export function decidePromotion(input: PromotionInput): PromotionDecision {
  const { candidate, champion, goal, margin } = input;
  const metric = input.metricName ?? 'metric';
  if (candidate === null || !Number.isFinite(candidate)) {
    return { promote: false, reason: `the candidate has no ${metric}` };
  }
  if (champion === null || !Number.isFinite(champion)) {
    return { promote: true, reason: `no champion yet: candidate ${metric} ${fmt(candidate)}` };
  }
  const gain = goal === 'maximize' ? candidate - champion : champion - candidate;
  const margins = margin > 0 ? ` (margin ${fmt(margin)})` : '';
  if (gain > 0 && gain >= margin) {
    return {
      promote: true,
      reason: `candidate ${metric} ${fmt(candidate)} beats champion ${fmt(champion)} by ${fmt(gain)}${margins}`,
    };
  }
  return {
    promote: false,
    reason:
      gain > 0
        ? `candidate ${metric} ${fmt(candidate)} beats champion ${fmt(champion)} by only ${fmt(gain)}${margins}`
        : `candidate ${metric} ${fmt(candidate)} is not better than champion ${fmt(champion)}${margins}`,
  };
}

/** The signed improvement of a candidate over the champion (positive = better), or null. */
export function metricDelta(
  candidate: number | null,
  champion: number | null,
  goal: MetricGoal,
): number | null {
  if (candidate === null || champion === null) return null;
  return goal === 'maximize' ? candidate - champion : champion - candidate;
}
