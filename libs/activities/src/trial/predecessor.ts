import { ApplicationFailure } from '@temporalio/common';
import { TRIAL_DEFERRED_ERROR } from '@retune/core';

/**
 * Pipelined slots (docs/pipelined-slots.md): a trial launched behind a running one in the same
 * lane (`RunTrialInput.after`) starts only once that predecessor no longer trains.
 *
 * Two ways to learn it: this process's own attempts announce their end here (no latency), and
 * the database says so for a predecessor that runs elsewhere (another worker, a retry after a
 * crash) — its attempt's end marker, or its recorded outcome.
 */
export class TrialEndings {
  // No memory of ended trials: retry-failed re-runs a trial under its id, and a successor that
  // starts waiting after its predecessor ended learns it from the database at once.
  private readonly listeners = new Map<string, Set<() => void>>();
  /** Attempts on a slot of this process now. */
  private readonly here = new Set<string>();

  /** An attempt took a slot here; `left` once it has left it, however it ended. */
  begin(trialId: string): void {
    this.here.add(trialId);
  }

  left(trialId: string): void {
    this.here.delete(trialId);
  }

  /** Whether an attempt of the trial is on a slot of this process: its end will be announced. */
  runningHere(trialId: string): boolean {
    return this.here.has(trialId);
  }

  /** The trial's attempt returned an outcome or was cancelled: nothing of it trains any more. */
  end(trialId: string): void {
    for (const listener of this.listeners.get(trialId) ?? []) listener();
    this.listeners.delete(trialId);
  }

  /** Calls `listener` once when the trial ends here; returns how to stop listening. */
  onEnd(trialId: string, listener: () => void): () => void {
    const set = this.listeners.get(trialId) ?? new Set();
    set.add(listener);
    this.listeners.set(trialId, set);
    return () => set.delete(listener);
  }
}

/**
 * How often the database is asked about a predecessor not running in this process: often at
 * first (short trials), then every 2 s; every 5 s while it runs here (its end is announced).
 */
export function predecessorPollMs(waitedMs: number, runningHere: boolean): number {
  if (runningHere) return 5000;
  return waitedMs < 10_000 ? 200 : 2000;
}

/** A predecessor's attempts, as the database has them (trials.attemptState). */
export type AttemptState = 'pending' | 'running' | 'ended';

/**
 * Resolves once the predecessor no longer trains; rejects with the signal's reason when the
 * waiting trial is cancelled (its heartbeats keep running meanwhile, so cancellation arrives),
 * and with a TrialDeferred failure when this worker is stuck: every place it has is taken while a
 * slot is free, and this trial waits for a predecessor that has not started anywhere (Temporal
 * does not hand out tasks strictly in order; several sweeps may share the worker). Giving the place back lets the worker take that
 * predecessor; the workflow schedules this trial again.
 */
export function waitForPredecessor(opts: {
  trialId: string;
  endings: TrialEndings;
  /** Asks the database; a failure (an outage) counts as "not yet" and is asked again. */
  stateInDb: (trialId: string) => Promise<AttemptState>;
  /** Whether every runTrial this worker can hold is here while one of its slots is free. */
  workerStuck: () => boolean;
  signal: AbortSignal;
}): Promise<void> {
  const { trialId, endings, signal } = opts;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let settled = false;
    let stuckPolls = 0;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stopListening();
      signal.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => settle(() => reject(signal.reason));
    const stopListening = endings.onEnd(trialId, () => settle(resolve));
    signal.addEventListener('abort', onAbort, { once: true });
    const onState = (state: AttemptState) => {
      if (state === 'ended') return settle(resolve);
      // Twice in a row: not a moment between one trial leaving and the next arriving.
      stuckPolls = state === 'pending' && opts.workerStuck() ? stuckPolls + 1 : 0;
      if (stuckPolls >= 2) return settle(() => reject(deferral(trialId)));
      schedule();
    };
    const poll = () => {
      opts.stateInDb(trialId).then(onState, () => schedule());
    };
    const since = Date.now();
    const schedule = () => {
      if (settled) return;
      timer = setTimeout(poll, predecessorPollMs(Date.now() - since, endings.runningHere(trialId)));
    };
    poll();
  });
}

function deferral(predecessor: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    `every place on this GPU worker waits for a trial that has not started (${predecessor} among them): giving this one back to be scheduled again`,
    TRIAL_DEFERRED_ERROR,
  );
}
