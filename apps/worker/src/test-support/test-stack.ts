/**
 * The stack the end-to-end specs, the Python SDK's stack and the benchmarks run Retune on: a
 * Temporal dev server, a migrated SQLite database and in-process Retune workers, plus GPU worker
 * processes (apps/worker/src/main.ts) for tests that kill one. One copy of that set-up; callers
 * choose what differs (slots, queues, bundling, heartbeat, trainer environment).
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  type LogLevel,
  type Worker,
} from '@temporalio/worker';
import { createDb, createRepositories, type Db, type Repositories } from '@retune/db';
import { applyMigrations } from '@retune/db/migrations';
import { repoRoot } from '../env';
import { createRetuneWorkers, workflowsPath } from '../workers';

/** Installs the Temporal runtime logger (once per process) and starts a dev server. */
export async function startTemporal(
  temporalBin: string,
  logLevel: LogLevel = 'WARN',
): Promise<TestWorkflowEnvironment> {
  Runtime.install({ logger: new DefaultLogger(logLevel) });
  return TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: temporalBin } },
  });
}

export interface TestDatabase {
  url: string;
  db: Db;
  repos: Repositories;
}

/** A database at `url` with every migration applied. */
export async function openTestDatabase(url: string): Promise<TestDatabase> {
  await applyMigrations(url);
  const db = createDb(url);
  return { url, db, repos: createRepositories(db) };
}

export interface TestWorkersOptions {
  workerId: string;
  slots: number;
  /** Default: both queues. */
  queues?: { control: boolean; gpu: boolean };
  /** Bundle the workflow code up front, silently (the bundler's progress is noise in a test). */
  bundle?: boolean;
  heartbeatIntervalMs?: number;
  /** Default: this process's environment. */
  trainerEnv?: Record<string, string | undefined>;
  /** Debug only: runTrial's phase timestamps (bench:overhead's breakdown). */
  trialTimingFile?: string;
}

export interface TestWorkers {
  workers: Worker[];
  /** Shuts down the workers still running and waits until they stopped. */
  stop(): Promise<void>;
}

const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } as never;

/** In-process Retune workers on `env`, running. */
export async function startTestWorkers(
  env: TestWorkflowEnvironment,
  repos: Repositories,
  workDir: string,
  opts: TestWorkersOptions,
): Promise<TestWorkers> {
  const workflowBundle = opts.bundle
    ? await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: silent })
    : undefined;
  const workers = await createRetuneWorkers({
    connection: env.nativeConnection,
    client: env.client,
    namespace: 'default',
    repos,
    slots: { kind: 'cpu', slots: opts.slots },
    queues: opts.queues ?? { control: true, gpu: true },
    workDir,
    workerId: opts.workerId,
    repoRoot,
    ...(workflowBundle && { workflowBundle }),
    ...(opts.heartbeatIntervalMs !== undefined && {
      heartbeatIntervalMs: opts.heartbeatIntervalMs,
    }),
    trainerEnv: opts.trainerEnv ?? process.env,
    ...(opts.trialTimingFile && { trialTimingFile: opts.trialTimingFile }),
  });
  const running = Promise.all(workers.map((w) => w.run()));
  return {
    workers,
    stop: async () => {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await running;
    },
  };
}

export interface GpuWorkerOptions {
  /** `--slots`; default: main.ts's own default. */
  slots?: number;
  /** Default: 'ignore'. */
  stdio?: StdioOptions;
}

export interface TestStack extends TestDatabase, TestWorkers {
  env: TestWorkflowEnvironment;
  /** The temporary directory holding the database and `workDir`. */
  dir: string;
  workDir: string;
  /** Starts a GPU worker process (main.ts --queues gpu) on this stack's server, database and work dir. */
  spawnGpuWorker(id: string, opts?: GpuWorkerOptions): ChildProcess;
  /**
   * Workers, Temporal dev server, database — every step runs even when one before it fails
   * (the dev server must not outlive the test); then the first failure is thrown.
   */
  stop(): Promise<void>;
}

export interface TestStackOptions extends TestWorkersOptions {
  temporalBin: string;
  /** Prefix of the temporary directory, e.g. 'retune-e2e-'. */
  dirPrefix: string;
  logLevel?: LogLevel;
}

export async function startTestStack(opts: TestStackOptions): Promise<TestStack> {
  const dir = mkdtempSync(join(tmpdir(), opts.dirPrefix));
  const workDir = join(dir, 'work');
  const database = await openTestDatabase(`file:${join(dir, 'retune.db')}`);
  const env = await startTemporal(opts.temporalBin, opts.logLevel);
  let workers: TestWorkers;
  try {
    workers = await startTestWorkers(env, database.repos, workDir, opts);
  } catch (err) {
    await env.teardown();
    await database.db.$disconnect();
    throw err;
  }
  return {
    ...database,
    ...workers,
    env,
    dir,
    workDir,
    spawnGpuWorker: (id, gpu = {}) =>
      spawn(
        process.execPath,
        [
          ...['--import', 'tsx', 'apps/worker/src/main.ts', '--queues', 'gpu'],
          ...(gpu.slots !== undefined ? ['--slots', String(gpu.slots)] : []),
        ],
        {
          cwd: repoRoot,
          env: {
            ...process.env,
            DATABASE_URL: database.url,
            TEMPORAL_ADDRESS: env.address,
            RETUNE_WORK_DIR: workDir,
            RETUNE_WORKER_ID: id,
          },
          stdio: gpu.stdio ?? 'ignore',
        },
      ),
    stop: () =>
      inOrder([() => workers.stop(), () => env.teardown(), () => database.db.$disconnect()]),
  };
}

async function inOrder(steps: (() => Promise<unknown>)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) await step().catch((err: unknown) => failures.push(err));
  if (failures.length > 0) throw failures[0];
}
