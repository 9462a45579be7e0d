import { CancelledFailure, Context } from '@temporalio/activity';
import type { TrialOutcome } from '@retune/core';
import type { GpuSampler } from '../gpu/gpu-sampler';
import { sampleTrialGpu } from '../gpu/trial-gpu-metrics';
import { classifyOutcome } from './classify-outcome';
import { untilDbAnswers } from './db-retry';
import { handOver } from '../trainer-process/run-as';
import { resolveTrainerInput, withDevice, writeTrainerInput } from './prepare-input';
import { TrialEndings, waitForPredecessor } from './predecessor';
import type { Slot, SlotPool } from './slot-pool';
import { runTrialTrainer } from './start-trainer';
import type { TrialActivityDeps } from './trial-activity-deps';
import { flushBuffers, trialBuffers } from './trial-buffers';
import { trialTimeLimit, type TrialTimeLimit } from './trial-time-limit';
import { handleTrainerMessages } from './trainer-messages';
import { trialTiming } from './trial-timing';
import type { RunTrialInput, TrialHeartbeat } from './types';

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
      const previous = ctx.info.heartbeatDetails as TrialHeartbeat | undefined;
      const timing = trialTiming(input.trialId, deps.trialTimingFile);
      attempts++;
      // Heartbeats run for the whole attempt, not only while the trainer runs: waiting for the
      // predecessor or out a database outage (untilDbAnswers) must not look like a dead worker.
      // They carry the last checkpoint (the previous attempt's until this one reports its own)
      // so a retry resumes.
      let details: TrialHeartbeat | undefined = previous;
      const keepAlive = setInterval(
        () => (details ? ctx.heartbeat(details) : ctx.heartbeat()),
        deps.heartbeatIntervalMs ?? 1000,
      );
      const dbRetry = {
        signal: ctx.cancellationSignal,
        onWait: (err: unknown, attempt: number) => {
          if (attempt === 1) ctx.log.warn('database unavailable; retrying', { error: String(err) });
        },
      };
      let gpu: GpuSampler | null = null;
      let slot: Slot | undefined;
      let limit: TrialTimeLimit | undefined;
      let ended = false;
      const pipelined = input.after !== undefined || input.trialTimeoutSeconds !== undefined;
      // Frees the slot and, once the attempt has ended for good, lets a waiting successor in.
      const leaveSlot = () => {
        slot?.release();
        endings.left(input.trialId);
        // Temporal retries neither a result nor a cancellation: its lane's successor may start.
        if (ended) endings.end(input.trialId);
      };
      try {
        // Needs no slot: done while a pipelined trial waits (an error surfaces once it has one).
        const resolving = resolveTrainerInput({
          input,
          baseModels: deps.repos.baseModels,
          workDir: deps.workDir,
          attempt: ctx.info.attempt,
          previous,
          dbRetry,
        });
        resolving.catch(() => undefined);
        const resolvingTrainer = Promise.resolve().then(() => deps.resolveTrainer(input.trainer));
        resolvingTrainer.catch(() => undefined);
        slot = await takeSlot(deps, { endings, workerStuck }, input.after, ctx.cancellationSignal);
        endings.begin(input.trialId);
        timing.mark('slot');
        const onSlotSince = Date.now();
        limit = trialTimeLimit(input, ctx.cancellationSignal);
        const resolved = await resolving;
        const trainer = await resolvingTrainer;
        const prepared = withDevice(resolved, slot.device);
        const { trialDir, inputPath, checkpointDir, resumeFrom, trainerInput } = prepared;
        const writing = writeTrainerInput(prepared);
        writing.catch(() => undefined);
        // A process per trial reads the file; a pooled one gets the input on stdin, so its
        // hand-over waits for no disk write (the file is kept for debugging).
        if (!trainer.reusable || !deps.trainerPool || trainer.runAs) await writing;
        timing.mark('input');
        const state: TrialHeartbeat = { epoch: -1, lastCheckpoint: resumeFrom ?? null };
        details = state;
        const { metrics, logs } = trialBuffers(deps, input.trialId, ctx);
        if (ctx.info.attempt > 1) {
          logs.add(
            'retune',
            `attempt ${ctx.info.attempt}${resumeFrom ? `, resuming from ${resumeFrom}` : ''}`,
          );
        }
        const workflowId = ctx.info.workflowExecution?.workflowId;
        const report = deps.reportIntermediate;
        const messages = handleTrainerMessages({
          input,
          metrics,
          logs,
          state,
          heartbeat: (s) => ctx.heartbeat(s),
          report: report && workflowId ? (r) => report(workflowId, r) : null,
          warn: (message, attrs) => ctx.log.warn(message, attrs),
          device: (facts) => deps.repos.trials.setDevice(input.trialId, facts),
        });

        if (trainer.runAs) await handOver(trialDir, trainer.runAs);
        gpu = sampleTrialGpu({ device: slot.device, metrics, state });
        timing.mark('trainer');
        const running = runTrialTrainer({
          trainer,
          pool: deps.trainerPool,
          slot: slot.index,
          env: { ...deps.baseEnv, ...slot.env },
          inputPath,
          input: trainerInput,
          signal: limit.signal,
          onMessage: messages.onMessage,
          killGraceMs: deps.killGraceMs,
        });
        // Marked running once the trainer has the trial (SQLite's driver holds the event loop:
        // not before the hand-over); awaited before the attempt returns, and before its end
        // marker (markRunning clears an earlier attempt's).
        const marking = new Promise((r) => setImmediate(r)).then(() =>
          untilDbAnswers(
            () =>
              deps.repos.trials.markRunning(input.trialId, {
                worker: deps.workerId,
                slot: slot!.index,
                attempt: ctx.info.attempt,
              }),
            dbRetry,
          ).then(() => timing.mark('running')),
        );
        marking.catch(() => undefined);
        const run = await running;
        timing.mark('result');
        // What a GPU-time budget counts: this attempt's wall time on its slot.
        const gpuSeconds = (Date.now() - onSlotSince) / 1000;
        limit.clear();
        await gpu?.stop();
        // The trainer is done: the slot is free for the trial waiting behind, unless this
        // attempt passed its time limit (retried, see trialTimeLimit).
        ended = !limit.timedOut();
        leaveSlot();
        // The trial behind takes the slot before this one's database writes hold the loop.
        if (ended) await new Promise((r) => setImmediate(r));
        // Past the slot nothing may fail the attempt (it would be retried beside its successor);
        // the file a pooled trainer did not need is only for debugging.
        await writing.catch((err: unknown) => {
          ctx.log.warn('could not write the trial input file', { error: String(err) });
        });
        await flushBuffers({ metrics, logs, run, dbRetry });
        await marking;
        timing.mark('flushed');

        const outcome = classifyOutcome({
          run,
          result: messages.result(),
          bestOnCurve: messages.bestOnCurve(),
          metric: input.metric,
          ...(input.objectives ? { objectives: input.objectives } : {}),
          ...(input.constraints ? { constraints: input.constraints } : {}),
          checkpointDir,
        });
        if (outcome === 'cancelled') limit.throwIfTimedOut();
        if (pipelined) await markAttemptEnded(deps, input.trialId, gpuSeconds, ctx);
        if (outcome === 'cancelled') throw new CancelledFailure('trial cancelled; trainer stopped');
        const timed = { ...outcome, gpuSeconds };
        // pbt: the next interval (this member's, or a copier's) continues from here.
        if (input.pbt && state.lastCheckpoint)
          return { ...timed, checkpoint: state.lastCheckpoint };
        return timed;
      } catch (err) {
        // Cancelled while waiting: nothing of it ever trained.
        if (ctx.cancellationSignal.aborted) ended = true;
        throw err;
      } finally {
        attempts--;
        limit?.clear();
        await gpu?.stop();
        clearInterval(keepAlive);
        leaveSlot();
        timing.end();
      }
    },
  };
}

/** Pipelined slots: waits until the predecessor no longer trains, then for a slot of this worker. */
async function takeSlot(
  deps: TrialActivityDeps,
  here: { endings: TrialEndings; workerStuck: () => boolean },
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

export type TrialActivities = ReturnType<typeof createTrialActivities>;
