import type { SweepProgress } from './contracts';

export type TrialTally = Pick<SweepProgress, 'completed' | 'pruned' | 'failed' | 'cancelled'>;

/**
 * How a sweep that ran to its end finishes: `failed` when every trial it ran failed (a sweep
 * without one usable result has not completed), with the reason most of them gave; else
 * `completed`. A cancelled sweep stays `cancelled`. `reasons` holds one entry per failed trial.
 */
export function sweepEndStatus(
  tally: TrialTally,
  reasons: readonly string[],
  cancelled: boolean,
): { status: 'completed' | 'failed' | 'cancelled'; error?: string } {
  if (cancelled) return { status: 'cancelled' };
  const succeeded = tally.completed + tally.pruned + tally.cancelled;
  if (tally.failed === 0 || succeeded > 0) return { status: 'completed' };
  const all = tally.failed === 1 ? 'the only trial failed' : `all ${tally.failed} trials failed`;
  const common = commonReason(reasons);
  if (!common) return { status: 'failed', error: `${all} (see the trials' logs)` };
  return {
    status: 'failed',
    error:
      common.count === tally.failed
        ? `${all}: ${common.reason}`
        : `${all}; ${common.count} of them with: ${common.reason}`,
  };
}

/** The most frequent reason (the first one seen among equals). */
function commonReason(reasons: readonly string[]): { reason: string; count: number } | undefined {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  let best: { reason: string; count: number } | undefined;
  for (const [reason, count] of counts) if (!best || count > best.count) best = { reason, count };
  return best;
}
