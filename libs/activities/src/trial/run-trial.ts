import { Context } from '@temporalio/activity';
import type { TrialOutcome } from '@retune/core';
import { awaitTrainer, finishAttempt } from './finish-attempt';
import { handOverTrial } from './hand-over-trial';
import { TrialEndings } from './predecessor';
import type { SlotPool } from './slot-pool';
import type { TrialActivityDeps } from './trial-activity-deps';
import { TrialAttempt } from './trial-attempt';
import type { RunTrialInput } from './types';
import { waitForSlot } from './wait-for-slot';

export type { TrialActivityDeps } from './trial-activity-deps';

/** runTrial activities a GPU worker takes at once: one training and one waiting per slot. */
export function gpuActivityCapacity(slots: Pick<SlotPool, 'size'>): number {
  return 2 * slots.size;
}

export function createTrialActivities(deps: TrialActivityDeps) {
  const endings = deps.trialEndings ?? new TrialEndings();
  // runTrial activities in this process, and how many the GPU worker takes (apps/worker).
  let attempts = 0;
  const capacity = deps.activityCapacity ?? gpuActivityCapacity(deps.slots);
  // Every place taken while a slot is free: waiting trials may be keeping out the very trials
  // they wait for (several sweeps share the worker; Temporal hands tasks out in no fixed order).
  const workerStuck = () => attempts >= capacity && deps.slots.inUse() < deps.slots.size;
  return {
    /**
     * Runs one trial's trainer to completion on a free slot. A trainer that fails on its own
     * (bad exit, protocol error, missing metric) is a *result* (status failed), so Temporal does
     * not retry it; a worker that dies is retried elsewhere through the heartbeat timeout and
     * resumes from the last checkpoint it heartbeated. A pipelined trial (`after`) first waits
     * until its predecessor no longer trains (docs/pipelined-slots.md).
     */
    async runTrial(input: RunTrialInput): Promise<TrialOutcome> {
      const ctx = Context.current();
      attempts++;
      const attempt = new TrialAttempt(ctx, input, {
        endings,
        trialTimingFile: deps.trialTimingFile,
        heartbeatIntervalMs: deps.heartbeatIntervalMs,
      });
      try {
        const taken = await waitForSlot(deps, { endings, workerStuck }, attempt);
        const trial = await handOverTrial(deps, attempt, taken);
        const stopped = await awaitTrainer(attempt, taken.onSlot, trial);
        return await finishAttempt(deps, attempt, taken.onSlot, trial, stopped);
      } catch (err) {
        attempt.endIfCancelled();
        throw err;
      } finally {
        attempts--;
        await attempt.close();
      }
    },
  };
}

export type TrialActivities = ReturnType<typeof createTrialActivities>;
