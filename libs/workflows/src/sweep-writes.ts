import { CancellationScope } from '@temporalio/workflow';
import type { PlannedTrial, TrialOutcome } from '@retune/core';
import type { TrialWriteBatch } from '@retune/activities';

/** The patch id: sweeps started before it record each outcome and registration on its own. */
export const RECORD_BATCHED_PATCH = 'record-trials-batched';

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Trial rows (registrations ahead and outcomes) written in batches: what one workflow task
 * produces goes to the database in one control activity. A finished trial used to cost two
 * activities (its outcome, its successor's registration) and a workflow task for each
 * completion; now one of each. While the sweep's main loop runs, writes wait for the loop to
 * flush them once it has launched and registered what it can (`deferred`); otherwise (pbt,
 * the drain after the loop) they go out at the end of the current workflow task's microtasks.
 * A write's promise settles when its batch is stored, so nothing is counted as recorded early.
 */
export class TrialWrites {
  private register: { trial: PlannedTrial; waiter: Waiter }[] = [];
  private outcomes: { trialId: string; outcome: TrialOutcome; waiter: Waiter }[] = [];
  private flushQueued = false;
  /** The main loop flushes (needsAttention wakes it while writes are queued). */
  deferred = false;

  constructor(private readonly send: (batch: TrialWriteBatch) => Promise<void>) {}

  /** Writes wait to be flushed. */
  get queued(): boolean {
    return this.register.length > 0 || this.outcomes.length > 0;
  }

  registerTrial(trial: PlannedTrial): Promise<void> {
    return this.queue((waiter) => this.register.push({ trial, waiter }));
  }

  recordOutcome(trialId: string, outcome: TrialOutcome): Promise<void> {
    return this.queue((waiter) => this.outcomes.push({ trialId, outcome, waiter }));
  }

  /** Sends everything queued as one activity. */
  flush(): void {
    if (!this.queued) return;
    const register = this.register;
    const outcomes = this.outcomes;
    this.register = [];
    this.outcomes = [];
    const waiters = [...register, ...outcomes].map((w) => w.waiter);
    const batch: TrialWriteBatch = {
      register: register.map((r) => r.trial),
      outcomes: outcomes.map(({ trialId, outcome }) => ({ trialId, outcome })),
    };
    CancellationScope.nonCancellable(() => this.send(batch)).then(
      () => waiters.forEach((w) => w.resolve()),
      (err: unknown) => waiters.forEach((w) => w.reject(err)),
    );
  }

  /** The main loop is done: flush now and send later writes without waiting for it. */
  stopDeferring(): void {
    this.deferred = false;
    this.flush();
  }

  private queue(add: (waiter: Waiter) => void): Promise<void> {
    const done = new Promise<void>((resolve, reject) => add({ resolve, reject }));
    if (!this.deferred && !this.flushQueued) {
      // Deterministic: microtasks run inside the workflow task, the same way on replay.
      this.flushQueued = true;
      void Promise.resolve().then(() => {
        this.flushQueued = false;
        this.flush();
      });
    }
    return done;
  }
}
