/**
 * Orchestration overhead: N trials of a no-op trainer (sleeps 1 s) on S slots, makespan against
 * the ideal ceil(N / S) × 1 s. Same stack as production: Temporal dev server, SQLite, control and
 * GPU workers. The main Retune row runs a reusable no-op trainer (one process per slot, like Ray
 * Tune's reuse_actors=True); a second row starts a trainer process per trial. Ray Tune runs the same trials on the same slots in
 * the same invocation (bench/ray-tune.ts), so ratios compare like with like on a loaded machine.
 * Prints a table and, per Retune row, where the time per trial went; not a test.
 *
 *   npm run bench:overhead -- --trials 100,1000 --slots 8 [--seconds 1] [--concurrent 4]
 *                             [--no-ray] [--no-breakdown] [--modes reuse,process]
 *
 * --concurrent K adds a row with K sweeps sharing the slots, first size split between them.
 * The 10,000-trial row is `--trials 10000` (about 21 minutes of ideal makespan: idle machine).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTemporalSweepGateway, newSweepId } from '@retune/api';
import { sweepWorkflowId, type SweepResult, type SweepSpec } from '@retune/core';
import { repoRoot } from '@retune/worker';
import { openTestDatabase, startTemporal, startTestWorkers } from '@retune/worker/test-stack';
import { ensureTemporal } from '@retune/tools/temporal-cli';
import { scriptArg, scriptFlag } from '@retune/tools/script-args';
import { noopSweepSpec, type NoopMode } from './noop-sweep';
import { printBreakdown } from './overhead-breakdown';
import { ensureRayVenv, RAY_PIN, runRayTune } from './ray-tune';

const sizes = scriptArg('trials', '100,1000').split(',').map(Number);
const slots = Number(scriptArg('slots', '8'));
const seconds = Number(scriptArg('seconds', '1'));
const concurrent = Number(scriptArg('concurrent', '4'));
const withRay = !scriptFlag('no-ray');
const withBreakdown = !scriptFlag('no-breakdown');
const modes = scriptArg('modes', 'reuse,process').split(',') as NoopMode[];
for (const m of modes) {
  if (m !== 'reuse' && m !== 'process') throw new Error(`--modes: "${m}" is not reuse or process`);
}
const SYSTEM: Record<NoopMode, string> = { reuse: 'Retune', process: 'Retune, process/trial' };

interface Row {
  system: string;
  trials: number;
  sweeps: number;
  makespan: number;
}

const ideal = (trials: number) => Math.ceil(trials / slots) * seconds;

async function measure(
  env: TestWorkflowEnvironment,
  trials: number,
  mode: NoopMode,
  sweeps = 1,
): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'retune-bench-'));
  const { db, repos } = await openTestDatabase(`file:${join(dir, 'bench.db')}`);
  const timing = { trial: join(dir, 'trial-timing.txt'), trainer: join(dir, 'noop-timing.txt') };
  const workers = await startTestWorkers(env, repos, join(dir, 'work'), {
    workerId: 'bench',
    slots,
    trainerEnv: { ...process.env, NOOP_SECONDS: String(seconds), NOOP_TIMING_FILE: timing.trainer },
    // Debug-only phase marks of runTrial (libs/activities/src/trial/trial-timing.ts).
    ...(withBreakdown && { trialTimingFile: timing.trial }),
  });
  const each = Math.ceil(trials / sweeps);
  const ids: string[] = [];
  const specs: SweepSpec[] = [];
  for (let s = 0; s < sweeps; s++) {
    const spec = noopSweepSpec(`overhead ${trials} #${s}`, each, slots, mode);
    const id = newSweepId();
    await repos.sweeps.create({ id, name: spec.name, spec, plannedTrials: each });
    ids.push(id);
    specs.push(spec);
  }
  const started = performance.now();
  const gateway = createTemporalSweepGateway(env.client);
  const results = await Promise.all(
    ids.map(async (id, i) => {
      await gateway.start({ sweepId: id, spec: specs[i]! });
      return (await env.client.workflow.getHandle(sweepWorkflowId(id)).result()) as SweepResult;
    }),
  );
  const makespan = (performance.now() - started) / 1000;
  const completed = results.reduce((s, r) => s + r.progress.completed, 0);
  if (completed !== each * sweeps) throw new Error(`only ${completed}/${each * sweeps} completed`);
  await workers.stop();
  if (withBreakdown && sweeps === 1) {
    const [sweepId] = ids as [string];
    console.log(`\n${SYSTEM[mode]}:`);
    await printBreakdown({
      client: env.client,
      db,
      workflowId: sweepWorkflowId(sweepId),
      sweepId,
      trials,
      slots,
      seconds,
      makespan,
      timing,
    });
  }
  await db.$disconnect();
  return { system: SYSTEM[mode], trials: each * sweeps, sweeps, makespan };
}

function measureRay(python: string, trials: number): Row | string {
  console.error(`Ray Tune: ${trials} trials on ${slots} slots…`);
  const run = runRayTune(python, repoRoot, trials, slots, seconds);
  if ('skipped' in run) return run.skipped;
  if (run.errors > 0) return `Ray Tune: ${run.errors} trial(s) errored`;
  return { system: 'Ray Tune', trials, sweeps: 1, makespan: run.makespan };
}

function printTable(rows: Row[]): void {
  const retune = new Map(
    rows.filter((r) => r.system === 'Retune' && r.sweeps === 1).map((r) => [r.trials, r]),
  );
  const header = ['system', 'trials', 'sweeps', 'slots', 'ideal s', 'makespan s', 'overhead'];
  header.push('per-trial ms', 'trials/s', '× Retune');
  const lines = rows.map((r) => {
    const base = retune.get(r.trials);
    return [
      r.system,
      String(r.trials),
      String(r.sweeps),
      String(slots),
      ideal(r.trials).toFixed(0),
      r.makespan.toFixed(1),
      `${((r.makespan / ideal(r.trials) - 1) * 100).toFixed(1)} %`,
      (((r.makespan - ideal(r.trials)) * 1000 * slots) / r.trials).toFixed(0),
      (r.trials / r.makespan).toFixed(2),
      base && base !== r ? (r.makespan / base.makespan).toFixed(2) : '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  console.log(`\n${fmt(header)}`);
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
}

async function main(): Promise<void> {
  const ray = withRay ? ensureRayVenv(repoRoot) : { skipped: '--no-ray' };
  const env = await startTemporal(await ensureTemporal(), 'ERROR');
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    for (const n of sizes) {
      for (const mode of modes) {
        console.error(`${SYSTEM[mode]}: ${n} trials on ${slots} slots…`);
        rows.push(await measure(env, n, mode));
      }
      if ('python' in ray) {
        const r = measureRay(ray.python, n);
        if (typeof r === 'string') notes.push(r);
        else rows.push(r);
      }
    }
    if (concurrent > 1) {
      console.error(`Retune: ${concurrent} concurrent sweeps, ${sizes[0]} trials in all…`);
      rows.push(await measure(env, sizes[0]!, modes[0]!, concurrent));
    }
  } finally {
    await env.teardown();
  }
  printTable(rows);
  if ('skipped' in ray) notes.push(`Ray Tune skipped: ${ray.skipped}`);
  console.log(
    `\n${seconds} s no-op trainer per trial (Retune: one reused process per slot, or a process ` +
      `per trial); Ray Tune ${RAY_PIN}: function trainable, ` +
      `max_concurrent_trials=${slots}, reuse_actors=True, makespan of Tuner.fit().`,
  );
  for (const n of notes) console.log(n);
}

await main();
