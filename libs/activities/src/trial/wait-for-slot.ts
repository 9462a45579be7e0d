import { waitForPredecessor, type TrialEndings } from './predecessor';
import { resolveTrainerInput, withDevice, type PreparedInput } from './prepare-input';
import type { Slot } from './slot-pool';
import type { TrialActivityDeps } from './trial-activity-deps';
import type { OnSlot, TrialAttempt } from './trial-attempt';
import type { ResolvedTrainer } from './types';

/** Where this worker stands: what a waiting trial needs to tell a stuck worker (TrialDeferred). */
export interface WorkerPlaces {
  endings: TrialEndings;
  workerStuck: () => boolean;
}

/** A trial on its slot, with its input for that slot's device and its trainer. */
export interface SlotTaken {
  onSlot: OnSlot;
  prepared: PreparedInput;
  trainer: ResolvedTrainer;
}

/**
 * Takes a slot for the trial (a pipelined one first waits for its predecessor) while preparing
 * what needs none: its input but the device, and its trainer.
 */
export async function waitForSlot(
  deps: TrialActivityDeps,
  here: WorkerPlaces,
  attempt: TrialAttempt,
): Promise<SlotTaken> {
  const { ctx, input } = attempt;
  // Needs no slot: done while a pipelined trial waits (an error surfaces once it has one).
  const resolving = resolveTrainerInput({
    input,
    baseModels: deps.repos.baseModels,
    workDir: deps.workDir,
    attempt: ctx.info.attempt,
    previous: attempt.previous,
    dbRetry: attempt.dbRetry,
  });
  resolving.catch(() => undefined);
  const resolvingTrainer = Promise.resolve().then(() => deps.resolveTrainer(input.trainer));
  resolvingTrainer.catch(() => undefined);
  const onSlot = attempt.enterSlot(await takeSlot(deps, here, input.after, ctx.cancellationSignal));
  const resolved = await resolving;
  const trainer = await resolvingTrainer;
  return { onSlot, prepared: withDevice(resolved, onSlot.slot.device), trainer };
}

/** Pipelined slots: waits until the predecessor no longer trains, then for a slot of this worker. */
async function takeSlot(
  deps: TrialActivityDeps,
  here: WorkerPlaces,
  after: string | undefined,
  signal: AbortSignal,
): Promise<Slot> {
  if (after) {
    await waitForPredecessor({
      trialId: after,
      ...here,
      stateInDb: (id) => deps.repos.trials.attemptState(id),
      signal,
    });
  }
  return deps.slots.acquireWhenFree(signal);
}
