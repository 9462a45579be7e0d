import { createRequire } from 'node:module';
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import {
  createActivities,
  createSlotPool,
  gpuActivityCapacity,
  type RunAs,
  type SlotConfig,
} from '@retune/activities';
import {
  createWorkerTrainerPool,
  stopPoolWithWorker,
  type TrainerReuseOptions,
} from './trainer-pool';
import { SIGNALS, TASK_QUEUES } from '@retune/core';
import type { Repositories } from '@retune/db';
import { createTrainerResolver } from './trainers';

export interface RetuneWorkersOptions {
  connection: NativeConnection;
  /** Lets trial activities signal rung values to their sweep workflow (early stopping). */
  client: Client;
  namespace: string;
  repos: Repositories;
  slots: SlotConfig;
  queues: { control: boolean; gpu: boolean };
  workDir: string;
  workerId: string;
  repoRoot: string;
  /** A prebuilt bundle (tests share one); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkflowBundleOption;
  /** Environment the trainer processes inherit. */
  trainerEnv: Record<string, string | undefined>;
  /** Run trainer processes as this unprivileged user (RETUNE_TRAINER_USER). */
  trainerUser?: RunAs;
  /** Hosts webhooks may reach over http or at private addresses (RETUNE_ALLOWED_HOSTS). */
  allowedHosts?: string[];
  heartbeatIntervalMs?: number;
  /** Debug only (bench:overhead): runTrial's phase timestamps go to this file. */
  trialTimingFile?: string;
  /** Reusable trainers' processes (docs/trainer-reuse.md); default 50 trials, no RSS limit. */
  trainerReuse?: TrainerReuseOptions;
}

export function workflowsPath(): string {
  return createRequire(import.meta.url).resolve('@retune/workflows');
}

/** The control worker (workflows + DB activities) and the GPU worker (one trial per slot). */
export async function createRetuneWorkers(opts: RetuneWorkersOptions): Promise<Worker[]> {
  const slots = createSlotPool(opts.slots);
  const trainerPool = opts.queues.gpu ? createWorkerTrainerPool(opts) : undefined;
  const activities = createActivities({
    repos: opts.repos,
    workerId: opts.workerId,
    workDir: opts.workDir,
    slots,
    resolveTrainer: createTrainerResolver(opts.repoRoot, {
      trainers: opts.repos.trainers,
      ...(opts.trainerUser ? { runAs: opts.trainerUser } : {}),
    }),
    baseEnv: opts.trainerEnv,
    ...(trainerPool ? { trainerPool } : {}),
    ...(opts.allowedHosts ? { allowedHosts: opts.allowedHosts } : {}),
    reportIntermediate: (workflowId, report) =>
      opts.client.workflow.getHandle(workflowId).signal(SIGNALS.trialReport, report),
    ...(opts.heartbeatIntervalMs !== undefined
      ? { heartbeatIntervalMs: opts.heartbeatIntervalMs }
      : {}),
    ...(opts.trialTimingFile ? { trialTimingFile: opts.trialTimingFile } : {}),
  });
  const workers: Worker[] = [];
  if (opts.queues.control) {
    workers.push(
      await Worker.create({
        connection: opts.connection,
        namespace: opts.namespace,
        taskQueue: TASK_QUEUES.control,
        ...(opts.workflowBundle
          ? { workflowBundle: opts.workflowBundle }
          : { workflowsPath: workflowsPath() }),
        activities: activities.control,
      }),
    );
  }
  if (opts.queues.gpu) {
    workers.push(
      await Worker.create({
        connection: opts.connection,
        namespace: opts.namespace,
        taskQueue: TASK_QUEUES.gpu,
        activities: activities.gpu,
        // One trial training and one waiting behind it per slot (docs/pipelined-slots.md).
        maxConcurrentActivityTaskExecutions: gpuActivityCapacity(slots),
        // Cancellation reaches an activity only with a heartbeat; keep that prompt.
        maxHeartbeatThrottleInterval: '1 second',
        defaultHeartbeatThrottleInterval: '1 second',
      }),
    );
    if (trainerPool) stopPoolWithWorker(workers.at(-1)!, trainerPool);
  }
  return workers;
}
