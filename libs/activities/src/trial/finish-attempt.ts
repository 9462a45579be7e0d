import { CancelledFailure, type Context } from '@temporalio/activity';
import type { TrialOutcome } from '@retune/core';
import type { TrainerProcessResult } from '../trainer-process/run-trainer-process';
import { classifyOutcome } from './classify-outcome';
import type { TrialOnTrainer } from './hand-over-trial';
import type { TrialActivityDeps } from './trial-activity-deps';
import type { OnSlot, TrialAttempt } from './trial-attempt';
import { flushBuffers } from './trial-buffers';

/** A trainer that has stopped, and the attempt's time on its slot. */
export interface TrainerStopped {
  run: TrainerProcessResult;
  /** The attempt's wall time on its slot. */
  gpuSeconds: number;
}

/**
 * Waits for the trainer to stop, then leaves the slot before the attempt's own database writes
 * (the last metrics and logs, the running mark), so the trial behind starts meanwhile.
 */
export async function awaitTrainer(
  attempt: TrialAttempt,
  onSlot: OnSlot,
  trial: TrialOnTrainer,
): Promise<TrainerStopped> {
  const { timing } = attempt;
  const run = await trial.running;
  timing.mark('result');
  // What a GPU-time budget counts: this attempt's wall time on its slot.
  const gpuSeconds = (Date.now() - onSlot.since) / 1000;
  onSlot.limit.clear();
  await attempt.gpu?.stop();
  // The trainer is done: the slot is free for the trial waiting behind, unless this
  // attempt passed its time limit (retried, see trialTimeLimit).
  const ended = !onSlot.limit.timedOut();
  attempt.leaveSlot(ended);
  // The trial behind takes the slot before this one's database writes hold the loop.
  if (ended) await new Promise((r) => setImmediate(r));
  // Past the slot nothing may fail the attempt (it would be retried beside its successor);
  // the file a pooled trainer did not need is only for debugging.
  await trial.writing.catch((err: unknown) => {
    attempt.ctx.log.warn('could not write the trial input file', { error: String(err) });
  });
  await flushBuffers({ metrics: trial.metrics, logs: trial.logs, run, dbRetry: attempt.dbRetry });
  await trial.marking;
  timing.mark('flushed');
  return { run, gpuSeconds };
}

/**
 * What the stopped trainer means for the trial: its outcome, or the cancellation or passed time
 * limit thrown; the attempt's end marked first for a successor on another worker.
 */
export async function finishAttempt(
  deps: TrialActivityDeps,
  attempt: TrialAttempt,
  onSlot: OnSlot,
  trial: TrialOnTrainer,
  { run, gpuSeconds }: TrainerStopped,
): Promise<TrialOutcome> {
  const { ctx, input } = attempt;
  const outcome = classifyOutcome({
    run,
    result: trial.messages.result(),
    bestOnCurve: trial.messages.bestOnCurve(),
    metric: input.metric,
    ...(input.objectives ? { objectives: input.objectives } : {}),
    ...(input.constraints ? { constraints: input.constraints } : {}),
    checkpointDir: trial.checkpointDir,
  });
  if (outcome === 'cancelled') onSlot.limit.throwIfTimedOut();
  const pipelined = input.after !== undefined || input.trialTimeoutSeconds !== undefined;
  if (pipelined) await markAttemptEnded(deps, input.trialId, gpuSeconds, ctx);
  if (outcome === 'cancelled') throw new CancelledFailure('trial cancelled; trainer stopped');
  const timed = { ...outcome, gpuSeconds };
  // pbt: the next interval (this member's, or a copier's) continues from here.
  if (input.pbt && trial.state.lastCheckpoint)
    return { ...timed, checkpoint: trial.state.lastCheckpoint };
  return timed;
}

/**
 * The end marker a successor on another worker polls for. Best effort: without it that
 * successor waits for the outcome the workflow records instead, a little later.
 */
async function markAttemptEnded(
  deps: TrialActivityDeps,
  trialId: string,
  gpuSeconds: number,
  ctx: Pick<Context, 'log'>,
): Promise<void> {
  await deps.repos.trials.markAttemptEnded(trialId, gpuSeconds).catch((err: unknown) => {
    ctx.log.warn('could not mark the attempt ended; its successor waits for the outcome', {
      error: String(err),
    });
  });
}
