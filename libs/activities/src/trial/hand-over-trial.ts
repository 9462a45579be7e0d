import { sampleTrialGpu } from '../gpu/trial-gpu-metrics';
import { handOver } from '../trainer-process/run-as';
import type { TrainerProcessResult } from '../trainer-process/run-trainer-process';
import { untilDbAnswers } from './db-retry';
import type { TrialLogBuffer } from './log-buffer';
import type { MetricBuffer } from './metric-buffer';
import { writeTrainerInput } from './prepare-input';
import { runTrialTrainer } from './start-trainer';
import type { TrialActivityDeps } from './trial-activity-deps';
import type { TrialAttempt } from './trial-attempt';
import { trialBuffers } from './trial-buffers';
import { handleTrainerMessages, type TrainerMessageHandler } from './trainer-messages';
import type { TrialHeartbeat } from './types';
import type { SlotTaken } from './wait-for-slot';

/** A trial its trainer has: what the attempt waits for and reads once the trainer stops. */
export interface TrialOnTrainer {
  running: Promise<TrainerProcessResult>;
  /** The input file; past the slot only for debugging (a pooled trainer does not read it). */
  writing: Promise<void>;
  /** The trial marked running; awaited before the attempt returns. */
  marking: Promise<void>;
  /** Named in a full-disk failure, so the user knows which disk to free. */
  checkpointDir: string;
  /** Heartbeat details the trainer's messages update (epoch, last checkpoint). */
  state: TrialHeartbeat;
  metrics: MetricBuffer;
  logs: TrialLogBuffer;
  messages: TrainerMessageHandler;
}

/**
 * Hands the trial on its slot to its trainer: writes its input, routes the trainer's messages
 * (metrics, logs, checkpoints), samples the slot's GPU, starts the trainer and then marks the
 * trial running.
 */
export async function handOverTrial(
  deps: TrialActivityDeps,
  attempt: TrialAttempt,
  { onSlot, prepared, trainer }: SlotTaken,
): Promise<TrialOnTrainer> {
  const { timing } = attempt;
  const { slot, limit } = onSlot;
  const { trialDir, inputPath, checkpointDir, resumeFrom, trainerInput } = prepared;
  const writing = writeTrainerInput(prepared);
  writing.catch(() => undefined);
  // A process per trial reads the file; a pooled one gets the input on stdin, so its
  // hand-over waits for no disk write (the file is kept for debugging).
  if (!trainer.reusable || !deps.trainerPool || trainer.runAs) await writing;
  timing.mark('input');
  const state: TrialHeartbeat = { epoch: -1, lastCheckpoint: resumeFrom ?? null };
  attempt.heartbeatWith(state);
  const { metrics, logs, messages } = trainerMessages(deps, attempt, state, resumeFrom);

  if (trainer.runAs) await handOver(trialDir, trainer.runAs);
  attempt.gpu = sampleTrialGpu({ device: slot.device, metrics, state });
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
  const marking = markRunning(deps, attempt, slot.index);
  return { running, writing, marking, checkpointDir, state, metrics, logs, messages };
}

/** Where the trainer's messages go: the trial's buffers, heartbeats, the workflow's rungs. */
function trainerMessages(
  deps: TrialActivityDeps,
  attempt: TrialAttempt,
  state: TrialHeartbeat,
  resumeFrom: string | undefined,
): { metrics: MetricBuffer; logs: TrialLogBuffer; messages: TrainerMessageHandler } {
  const { ctx, input } = attempt;
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
  return { metrics, logs, messages };
}

function markRunning(deps: TrialActivityDeps, attempt: TrialAttempt, slot: number): Promise<void> {
  const { ctx, input, timing } = attempt;
  // Marked running once the trainer has the trial (SQLite's driver holds the event loop:
  // not before the hand-over); awaited before the attempt returns, and before its end
  // marker (markRunning clears an earlier attempt's).
  const marking = new Promise((r) => setImmediate(r)).then(() =>
    untilDbAnswers(
      () =>
        deps.repos.trials.markRunning(input.trialId, {
          worker: deps.workerId,
          slot,
          attempt: ctx.info.attempt,
        }),
      attempt.dbRetry,
    ).then(() => timing.mark('running')),
  );
  marking.catch(() => undefined);
  return marking;
}
