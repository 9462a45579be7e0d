import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CancelledFailure, Context } from '@temporalio/activity';
import {
  deriveSeed,
  isBetter,
  type ResultMessage,
  type TrainerInput,
  type TrainerMessage,
  type TrialOutcome,
} from '@retune/core';
import type { Repositories } from '@retune/db';
import { handOver } from '../trainer-process/run-as';
import { runTrainerProcess } from '../trainer-process/run-trainer-process';
import { untilDbAnswers } from './db-retry';
import { TrialLogBuffer } from './log-buffer';
import { MetricBuffer } from './metric-buffer';
import type { SlotPool } from './slot-pool';
import type { ReportIntermediate, ResolvedTrainer, RunTrialInput, TrialHeartbeat } from './types';

export interface TrialActivityDeps {
  repos: Pick<Repositories, 'trials' | 'metrics' | 'baseModels'> &
    Partial<Pick<Repositories, 'trialLogs'>>;
  workerId: string;
  /** Per-trial inputs and checkpoints live under workDir/trials/<trialId>. */
  workDir: string;
  slots: SlotPool;
  resolveTrainer: (trainer: RunTrialInput['trainer']) => ResolvedTrainer | Promise<ResolvedTrainer>;
  /** Environment the trainer inherits (PATH, CUDA libraries…); the worker passes its own. */
  baseEnv?: Record<string, string | undefined>;
  heartbeatIntervalMs?: number;
  killGraceMs?: number;
  /** Needed only by sweeps with early stopping. */
  reportIntermediate?: ReportIntermediate;
}

const failed = (error: string): TrialOutcome => ({
  status: 'failed',
  objective: null,
  values: {},
  error,
});

function lastLines(text: string, n = 8): string {
  const lines = text.trimEnd().split('\n');
  return lines.slice(-n).join('\n');
}

export function createTrialActivities(deps: TrialActivityDeps) {
  return {
    /**
     * Runs one trial's trainer to completion on a free slot. A trainer that fails on its own
     * (bad exit, protocol error, missing metric) is a *result* (status failed), so Temporal does
     * not retry it; a worker that dies is retried elsewhere through the heartbeat timeout and
     * resumes from the last checkpoint it heartbeated.
     */
    async runTrial(input: RunTrialInput): Promise<TrialOutcome> {
      const ctx = Context.current();
      const previous = ctx.info.heartbeatDetails as TrialHeartbeat | undefined;
      const slot = deps.slots.acquire();
      // Heartbeats run for the whole attempt, not only while the trainer runs: waiting out a
      // database outage (untilDbAnswers) must not look like a dead worker. They carry the last
      // checkpoint (the previous attempt's until this one reports its own) so a retry resumes.
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
      try {
        await untilDbAnswers(
          () =>
            deps.repos.trials.markRunning(input.trialId, {
              worker: deps.workerId,
              slot: slot.index,
              attempt: ctx.info.attempt,
            }),
          dbRetry,
        );
        const dir = join(deps.workDir, 'trials', input.trialId);
        const checkpointDir = join(dir, 'checkpoints');
        await mkdir(checkpointDir, { recursive: true });
        const resumeFrom =
          previous?.lastCheckpoint && existsSync(previous.lastCheckpoint)
            ? previous.lastCheckpoint
            : undefined;
        // A registered base model is passed to the trainer as its model.json location.
        const registered = await untilDbAnswers(
          () => deps.repos.baseModels.findByName(input.baseModel),
          dbRetry,
        );
        const trainerInput: TrainerInput = {
          trialId: input.trialId,
          params: input.params,
          baseModel: registered?.path ?? input.baseModel,
          dataset: input.dataset,
          checkpointDir,
          ...(resumeFrom ? { resumeFrom } : {}),
          seed: deriveSeed(input.seed, input.number),
          device: slot.device,
        };
        const inputPath = join(dir, `input-attempt-${ctx.info.attempt}.json`);
        await writeFile(inputPath, JSON.stringify(trainerInput, null, 2));

        const state: TrialHeartbeat = { epoch: -1, lastCheckpoint: resumeFrom ?? null };
        details = state;
        let result: ResultMessage | null = null;
        let bestOnCurve: number | null = null;
        const metrics = new MetricBuffer(
          (points) => deps.repos.metrics.write(input.trialId, points),
          200,
          1000,
          // Points stay buffered until the database is back; the trainer keeps going.
          (err) => ctx.log.warn('metric write failed; will retry', { error: String(err) }),
        );
        const trialLogs = deps.repos.trialLogs;
        const logs = new TrialLogBuffer(
          (lines) => (trialLogs ? trialLogs.add(input.trialId, lines) : Promise.resolve()),
          (err) => ctx.log.warn('trainer log write failed; lines dropped', { error: String(err) }),
        );
        if (ctx.info.attempt > 1) {
          logs.add(
            'retune',
            `attempt ${ctx.info.attempt}${resumeFrom ? `, resuming from ${resumeFrom}` : ''}`,
          );
        }
        const reportAll = input.reportEpochs === 'all';
        const reportAt = new Set(Array.isArray(input.reportEpochs) ? input.reportEpochs : []);
        const workflowId = ctx.info.workflowExecution?.workflowId;
        const report = deps.reportIntermediate;
        if ((reportAll || reportAt.size > 0) && (!report || !workflowId)) {
          throw new Error('this worker cannot report rung values (no Temporal client wired)');
        }

        const onMessage = async (m: TrainerMessage) => {
          switch (m.type) {
            case 'metric': {
              state.epoch = m.epoch;
              const v = m.values[input.metric.name];
              if (v !== undefined && isBetter(v, bestOnCurve, input.metric.goal)) bestOnCurve = v;
              if (v !== undefined && (reportAll || reportAt.has(m.epoch))) {
                // The workflow may answer by cancelling this trial (pruned). A report lost to
                // a Temporal outage only skips one pruning decision: not worth the trial.
                await report!(workflowId!, {
                  number: input.number,
                  epoch: m.epoch,
                  value: v,
                }).catch((err: unknown) =>
                  ctx.log.warn('rung report failed', { epoch: m.epoch, error: String(err) }),
                );
              }
              await metrics.add(
                Object.entries(m.values).map(([name, value]) => ({
                  epoch: m.epoch,
                  step: m.step,
                  name,
                  value,
                })),
              );
              break;
            }
            case 'checkpoint':
              state.lastCheckpoint = m.path;
              ctx.heartbeat(state);
              break;
            case 'result':
              result = m;
              break;
            case 'log':
              logs.add(m.level, m.msg);
              break;
          }
        };

        const { command, cwd, runAs } = await deps.resolveTrainer(input.trainer);
        if (runAs) await handOver(dir, runAs);
        const run = await runTrainerProcess({
          command: [...command, inputPath],
          ...(cwd ? { cwd } : {}),
          ...(runAs ? { runAs } : {}),
          env: { ...deps.baseEnv, ...slot.env, RETUNE_TRAINER_INPUT: inputPath },
          signal: ctx.cancellationSignal,
          onMessage,
          ...(deps.killGraceMs !== undefined ? { killGraceMs: deps.killGraceMs } : {}),
        });
        await untilDbAnswers(() => metrics.flush(), dbRetry).catch((err: unknown) => {
          // Cancelled while the database was away: the cancellation is the outcome.
          if (!ctx.cancellationSignal.aborted) throw err;
        });

        // The stderr the process left (its tail) goes with the logs: tracebacks live there.
        const stderrTail = 'stderrTail' in run ? run.stderrTail : '';
        for (const line of stderrTail.split('\n').filter((l) => l.trim() !== '')) {
          logs.add('stderr', line);
        }
        await logs.flush();

        switch (run.kind) {
          case 'aborted':
            throw new CancelledFailure('trial cancelled; trainer stopped');
          case 'spawn-error':
            return failed(run.error);
          case 'protocol-error':
            return failed(run.error);
          case 'exited':
            break;
        }
        if (run.exitCode !== 0) {
          const tail = lastLines(run.stderrTail);
          const exited = `trainer exited with code ${run.exitCode}${tail ? `: ${tail}` : ' (no stderr output)'}`;
          // A full disk shows up as a trainer crash (a stack trace); lead with the disk and the fix.
          if (/ENOSPC|No space left on device/i.test(run.stderrTail)) {
            return failed(
              `no space left on device: the disk holding ${checkpointDir} is full; free space there or point RETUNE_WORK_DIR at a larger disk (${exited})`,
            );
          }
          return failed(exited);
        }
        const final = result as ResultMessage | null;
        if (final === null)
          return failed('trainer exited 0 without printing a {"type":"result"} line');
        const objective = final.values[input.metric.name] ?? bestOnCurve;
        if (objective === null || objective === undefined) {
          return failed(
            `trainer never reported the sweep metric "${input.metric.name}"; it reported: ${Object.keys(final.values).join(', ') || 'nothing'} (set metric.name in the spec to one of these)`,
          );
        }
        const missing = (input.objectives ?? []).filter(
          (o) => !Number.isFinite(final.values[o.name]),
        );
        if (missing.length > 0) {
          return failed(
            `trainer did not report the objective${missing.length > 1 ? 's' : ''} ${missing.map((o) => `"${o.name}"`).join(', ')} in its result; it reported: ${Object.keys(final.values).join(', ') || 'nothing'} (fix objectives in the spec)`,
          );
        }
        return {
          status: 'completed',
          objective,
          values: final.values,
          ...(final.artifact ? { artifact: final.artifact } : {}),
        };
      } finally {
        clearInterval(keepAlive);
        slot.release();
      }
    },
  };
}

export type TrialActivities = ReturnType<typeof createTrialActivities>;
