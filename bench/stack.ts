/**
 * The embedded stack a benchmark drives, as `npm start` wires it: a Temporal dev server, the
 * control and GPU workers in this process (trainers as child processes), SQLite in a temporary
 * folder. `launch` goes through the API's launchSweep, as the dashboard and CLI do.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createTemporalSweepGateway, launchSweep } from '@retune/api';
import { sweepWorkflowId, type SweepDetail, type SweepResult } from '@retune/core';
import { createDb, createRepositories } from '@retune/db';
import { applyMigrations } from '@retune/db/migrations';
import { createRetuneWorkers, repoRoot } from '@retune/worker';
import { ensureTemporal } from '@retune/tools/temporal-cli';

export interface BenchStack {
  /** Launches a sweep and resolves with its stored detail (trials with values) once it ends. */
  runSweep(spec: unknown): Promise<SweepDetail>;
  stop(): Promise<void>;
}

export async function startBenchStack(opts: {
  slots: number;
  trainerEnv: Record<string, string | undefined>;
}): Promise<BenchStack> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const dir = mkdtempSync(join(tmpdir(), 'retune-bench-stack-'));
  const url = `file:${join(dir, 'bench.db')}`;
  await applyMigrations(url);
  const db = createDb(url);
  const repos = createRepositories(db);
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: await ensureTemporal() } },
  });
  const temporal = createTemporalSweepGateway(env.client);
  const workers = await createRetuneWorkers({
    connection: env.nativeConnection,
    client: env.client,
    namespace: 'default',
    repos,
    slots: { kind: 'cpu', slots: opts.slots },
    queues: { control: true, gpu: true },
    workDir: join(dir, 'work'),
    workerId: 'bench',
    repoRoot,
    trainerEnv: opts.trainerEnv,
  });
  const running = Promise.all(workers.map((w) => w.run()));
  return {
    async runSweep(spec) {
      const sweep = await launchSweep({ repos, temporal }, spec);
      await (env.client.workflow
        .getHandle(sweepWorkflowId(sweep.id))
        .result() as Promise<SweepResult>);
      const detail = await repos.sweeps.get(sweep.id);
      if (!detail) throw new Error(`sweep ${sweep.id} vanished from the database`);
      return detail;
    },
    async stop() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await running;
      await env.teardown();
      await db.$disconnect();
    },
  };
}
