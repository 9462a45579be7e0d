import { ApplicationFailure } from '@temporalio/common';
import type { RunTrialInput } from './types';

export interface TrialTimeLimit {
  /** Aborts on cancellation or when the time limit passes. */
  signal: AbortSignal;
  clear(): void;
  /** The limit passed (and the trial was not cancelled). */
  timedOut(): boolean;
  throwIfTimedOut(): void;
}

/**
 * The pipelined trial's time limit, counted from its real start on the slot (its activity's
 * start-to-close timeout leaves room for the wait). Passing it is retried like that timeout.
 */
export function trialTimeLimit(input: RunTrialInput, cancelled: AbortSignal): TrialTimeLimit {
  const seconds = input.trialTimeoutSeconds;
  if (seconds === undefined) {
    return { signal: cancelled, clear: () => {}, timedOut: () => false, throwIfTimedOut: () => {} };
  }
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), seconds * 1000);
  const timedOut = () => timeout.signal.aborted && !cancelled.aborted;
  return {
    signal: AbortSignal.any([cancelled, timeout.signal]),
    clear: () => clearTimeout(timer),
    timedOut,
    throwIfTimedOut: () => {
      if (!timedOut()) return;
      throw ApplicationFailure.retryable(
        `trial ran past its timeout of ${seconds} s (trialTimeoutSeconds) and was stopped`,
        'TrialTimeout',
      );
    },
  };
}
