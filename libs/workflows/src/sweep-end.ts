import { patched } from '@temporalio/workflow';
import {
  sweepEndStatus,
  type CarriedSweepState,
  type SweepProgress,
  type TrialOutcome,
} from '@retune/core';

/** Sweeps that ran past this point before the rule existed end as they always did. */
export const END_STATUS_PATCH = 'sweep-all-failed-is-failed-v1';

/**
 * Remembers why a trial failed, for the sweep's end status. Reasons matter only while no trial
 * has succeeded, so they are dropped after that; each is cut short, as the map is carried
 * through continue-as-new.
 */
export function noteOutcome(
  state: Pick<CarriedSweepState, 'failureReasons'> & { progress: SweepProgress },
  trialId: string,
  outcome: TrialOutcome,
): void {
  const { completed, pruned } = state.progress;
  if (completed + pruned > 0) {
    delete state.failureReasons;
  } else if (outcome.status === 'failed') {
    (state.failureReasons ??= {})[trialId] = (outcome.error ?? 'no reason given').slice(0, 500);
  }
}

/** How a sweep that ran to its end (or was cancelled) finishes; see sweepEndStatus in core. */
export function endOfSweep(
  state: Pick<CarriedSweepState, 'failed' | 'failureReasons'> & { progress: SweepProgress },
  cancelled: boolean,
): { status: 'completed' | 'failed' | 'cancelled'; error?: string } {
  if (!patched(END_STATUS_PATCH)) return { status: cancelled ? 'cancelled' : 'completed' };
  // Only trials still failed count: a failed trial re-run by retryFailed may have succeeded.
  const reasons = state.failed.flatMap((t) => state.failureReasons?.[t.trialId] ?? []);
  return sweepEndStatus(state.progress, reasons, cancelled);
}
