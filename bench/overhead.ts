/**
 * Orchestration overhead: N trials of a no-op trainer (sleeps 1 s) on S slots, makespan against
 * the ideal ceil(N / S) × 1 s. Same stack as production: Temporal dev server, SQLite, control and
 * GPU workers, one trainer process per trial. Prints a table; not a test.
 *
 *   npm run bench:overhead -- --trials 100,1000 --slots 8 [--seconds 1]
 *
 * For reference, Ray Tune publishes 14 % overhead for 10,000 × 1 s trials on 16 CPUs.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createTemporalSweepGateway, newSweepId } from '@retune/api';
import { parseSweepSpec, sweepWorkflowId, type SweepResult } from '@retune/core';
import { createDb, createRepositories } from '@retune/db';
import { applyMigrations } from '@retune/db/migrations';
import { createRetuneWorkers, repoRoot } from '@retune/worker';
import { ensureTemporal } from '@retune/tools/temporal-cli';
import { scriptArg } from '@retune/tools/script-args';

const sizes = scriptArg('trials', '100,1000').split(',').map(Number);
const slots = Number(scriptArg('slots', '8'));
const seconds = Number(scriptArg('seconds', '1'));

interface Row {
  trials: number;
  ideal: number;
  makespan: number;
}

async function measure(env: TestWorkflowEnvironment, trials: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'retune-bench-'));
  const url = `file:${join(dir, 'bench.db')}`;
  await applyMigrations(url);
  const db = createDb(url);
  const repos = createRepositories(db);
  const workers = await createRetuneWorkers({
    connection: env.nativeConnection,
    client: env.client,
    namespace: 'default',
    repos,
    slots: { kind: 'cpu', slots },
    queues: { control: true, gpu: true },
    workDir: join(dir, 'work'),
    workerId: 'bench',
    repoRoot,
    trainerEnv: { ...process.env, NOOP_SECONDS: String(seconds) },
  });
  const running = Promise.all(workers.map((w) => w.run()));
  const spec = parseSweepSpec({
    name: `overhead ${trials}`,
    dataset: 'none',
    baseModel: 'none',
    trainer: { command: ['sh', join(repoRoot, 'trainers/noop/train.sh')] },
    algorithm: 'random',
    maxTrials: trials,
    maxParallel: slots,
    searchSpace: { x: { type: 'uniform', min: 0, max: 1 } },
  });
  const id = newSweepId();
  await repos.sweeps.create({ id, name: spec.name, spec, plannedTrials: trials });
  const started = performance.now();
  await createTemporalSweepGateway(env.client).start({ sweepId: id, spec });
  const result = (await env.client.workflow.getHandle(sweepWorkflowId(id)).result()) as SweepResult;
  const makespan = (performance.now() - started) / 1000;
  if (result.progress.completed !== trials) {
    throw new Error(`only ${result.progress.completed}/${trials} trials completed`);
  }
  for (const w of workers) w.shutdown();
  await running;
  await db.$disconnect();
  return { trials, ideal: Math.ceil(trials / slots) * seconds, makespan };
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: await ensureTemporal() } },
  });
  const rows: Row[] = [];
  try {
    for (const n of sizes) {
      console.error(`running ${n} trials on ${slots} slots…`);
      rows.push(await measure(env, n));
    }
  } finally {
    await env.teardown();
  }
  const header = [
    'trials',
    'slots',
    'ideal s',
    'makespan s',
    'overhead',
    'per-trial ms',
    'trials/s',
  ];
  const lines = rows.map((r) => [
    String(r.trials),
    String(slots),
    r.ideal.toFixed(0),
    r.makespan.toFixed(1),
    `${((r.makespan / r.ideal - 1) * 100).toFixed(1)} %`,
    (((r.makespan - r.ideal) * 1000 * slots) / r.trials).toFixed(0),
    (r.trials / r.makespan).toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
  console.log(
    `\n${seconds} s no-op trainer per trial; Ray Tune reports 14 % for 10,000 × 1 s on 16 CPUs.`,
  );
}

await main();
