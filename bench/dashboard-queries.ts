/**
 * Server time of the sweep detail page's data: a finished sweep of N trials × E epochs (val_acc
 * and val_loss per epoch) in a temp SQLite database, and the tRPC procedures the page calls, via
 * createCaller (input/output validation included, no HTTP). Prints a table; not a test.
 *
 *   npm run bench:dashboard [-- --trials 1000,10000 --epochs 100 --runs 15] [--db <file seeded before>]
 *
 * Each size in --trials is its own sweep in its own database and its own rows in the table (the
 * 10,000-trial row seeds 2 million metric points: about a minute on an idle machine).
 *
 * Goal: the detail page's data in < 150 ms. Importance is cached per sweep and completed-trial
 * state, so the first load of a sweep (or one after a trial finished) pays for the fit.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  clearParamImportanceCache,
  createCaller,
  FakeSweepGateway,
  paramImportanceOf,
} from '@retune/api';
import { parseSweepSpec } from '@retune/core';
import { createDb, createRepositories, type Db } from '@retune/db';
import { applyMigrations } from '@retune/db/migrations';
import { scriptArg, scriptNumber } from '@retune/tools/script-args';

const sizes = scriptArg('trials', '1000,10000').split(',').map(Number);
const epochs = scriptNumber('epochs', 100);
const runs = scriptNumber('runs', 15);

const SWEEP = 'sw_bench000001';

/** Bulk-inserts the sweep as the workflow would have left it (createMany: seconds, not minutes). */
async function seed(db: Db, trials: number): Promise<void> {
  const repos = createRepositories(db);
  const spec = parseSweepSpec({
    name: 'dashboard bench',
    dataset: 'demo:mnist-5-9',
    baseModel: 'demo:mnist-0-4-cnn',
    trainer: { name: 'synthetic' },
    algorithm: 'random',
    maxTrials: trials,
    searchSpace: {
      headLr: { type: 'loguniform', min: 1e-4, max: 1e-1 },
      freezeDepth: { type: 'int', min: 0, max: 6 },
      dropout: { type: 'uniform', min: 0, max: 0.5 },
      augment: { type: 'choice', values: ['none', 'light', 'heavy'] },
    },
  });
  await repos.sweeps.create({ id: SWEEP, name: spec.name, spec, plannedTrials: trials });
  await repos.sweeps.markRunning(SWEEP);
  const start = Date.now() - trials * 60_000;
  const rows = Array.from({ length: trials }, (_, i) => {
    const target = 0.6 + 0.35 * Math.abs(Math.sin(i * 0.7));
    return {
      id: `${SWEEP}-${i}`,
      sweepId: SWEEP,
      number: i,
      params: {
        headLr: 10 ** (-4 + 3 * ((i * 0.618) % 1)),
        freezeDepth: i % 7,
        dropout: (i % 11) / 22,
        augment: ['none', 'light', 'heavy'][i % 3]!,
      },
      status: i % 4 === 3 ? 'pruned' : 'completed',
      objective: target,
      values: { val_acc: target, val_loss: 1 - target },
      worker: `worker-${i % 4}`,
      slot: i % 8,
      attempts: 1,
      startedAt: new Date(start + i * 60_000),
      finishedAt: new Date(start + i * 60_000 + 55_000),
      target,
    };
  });
  for (let i = 0; i < rows.length; i += 500) {
    await db.trial.createMany({ data: rows.slice(i, i + 500).map(({ target: _, ...r }) => r) });
  }
  const points: { trialId: string; epoch: number; step: number; name: string; value: number }[] =
    [];
  const flush = async () => {
    await db.metricPoint.createMany({ data: points.splice(0) });
  };
  for (const r of rows) {
    for (let e = 0; e < epochs; e++) {
      const acc = r.target * (1 - Math.exp((-3 * (e + 1)) / epochs));
      points.push({ trialId: r.id, epoch: e, step: e, name: 'val_acc', value: acc });
      points.push({ trialId: r.id, epoch: e, step: e, name: 'val_loss', value: 1 - acc });
    }
    if (points.length >= 20_000) await flush();
  }
  if (points.length > 0) await flush();
  await repos.sweeps.finish(SWEEP, {
    status: 'completed',
    bestTrialId: rows[0]!.id,
    bestValue: rows[0]!.target,
  });
}

/**
 * Wall-clock ms of each run, sorted, and the median CPU ms of this process (user + system):
 * on a shared, loaded machine wall time mostly measures the others, CPU time what the page
 * itself costs (about its wall time on an idle machine).
 */
async function time(fn: () => Promise<unknown>): Promise<{ wall: number[]; cpu: number }> {
  await fn(); // warm-up: query plans, JIT
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  cpu.sort((a, b) => a - b);
  return { wall: wall.sort((a, b) => a - b), cpu: cpu[Math.floor(cpu.length / 2)]! };
}

/** Seeds (unless --db) one sweep of `trials` trials and times the page's procedures on it. */
async function measure(trials: number): Promise<string[][]> {
  const reuse = scriptArg('db', '');
  const file = reuse || join(mkdtempSync(join(tmpdir(), 'retune-bench-dash-')), 'bench.db');
  const db = createDb(`file:${file}`);
  if (!reuse) {
    await applyMigrations(`file:${file}`);
    const t0 = performance.now();
    await seed(db, trials);
    console.log(
      `seeded ${trials} trials × ${epochs} epochs × 2 metrics in ${((performance.now() - t0) / 1000).toFixed(1)} s (${file})\n`,
    );
  }
  const caller = createCaller({
    repos: createRepositories(db),
    temporal: new FakeSweepGateway({ refuse: 'read-only bench' }),
    user: { id: 'bench', email: 'bench@localhost', role: 'admin' },
  });
  const detailPage = async () => {
    const [sweep, curves] = await Promise.all([
      caller.sweep.get({ id: SWEEP }),
      caller.sweep.curves({ id: SWEEP }),
    ]);
    paramImportanceOf(sweep);
    return curves;
  };
  // The page since #17: no trial list; one table page, the charts' trials, the curves' meta.
  const pagedPage = async () => {
    const [sweep, curves, chart, first] = await Promise.all([
      caller.sweep.overview({ id: SWEEP }),
      caller.sweep.curves({ id: SWEEP }),
      caller.sweep.chartTrials({ id: SWEEP }),
      caller.sweep.trials({ id: SWEEP, limit: 100 }),
    ]);
    const known = new Set([...chart, ...first.trials].map((t) => t.id));
    const ids = curves.curves.map((c) => c.trialId).filter((id) => !known.has(id));
    for (let i = 0; i < ids.length; i += 1000) {
      const some = ids.slice(i, i + 1000);
      await caller.sweep.trials({ id: SWEEP, ids: some, limit: some.length });
    }
    paramImportanceOf({ ...sweep, trials: chart });
    return curves;
  };
  const curves = await caller.sweep.curves({ id: SWEEP });
  const cold =
    <T>(fn: () => Promise<T>) =>
    () => {
      clearParamImportanceCache();
      return fn();
    };
  const cases: [string, () => Promise<unknown>][] = [
    ['sweep.get', () => caller.sweep.get({ id: SWEEP })],
    ['sweep.curves', () => caller.sweep.curves({ id: SWEEP })],
    [
      'importance (from sweep.get), fitted',
      cold(async () => paramImportanceOf(await caller.sweep.get({ id: SWEEP }))),
    ],
    ['detail page, first load (importance fitted)', cold(detailPage)],
    ['detail page, again (importance cached)', detailPage],
    ['sweep.overview', () => caller.sweep.overview({ id: SWEEP })],
    ['sweep.trials (page of 100)', () => caller.sweep.trials({ id: SWEEP, limit: 100 })],
    [
      'sweep.trials (by objective, page 50)',
      () => caller.sweep.trials({ id: SWEEP, sort: 'objective', dir: 'desc', offset: 4900 }),
    ],
    ['sweep.chartTrials', () => caller.sweep.chartTrials({ id: SWEEP })],
    ['paged detail page, first load (importance fitted)', cold(pagedPage)],
    ['paged detail page, again (importance cached)', pagedPage],
    ['sweep.list', () => caller.sweep.list({ limit: 100 })],
  ];
  const lines: string[][] = [];
  for (const [name, fn] of cases) {
    const { wall: t, cpu } = await time(fn);
    const q = (p: number) => t[Math.min(t.length - 1, Math.floor(p * t.length))]!;
    lines.push([
      String(trials),
      name,
      q(0.5).toFixed(1),
      q(0.95).toFixed(1),
      t.at(-1)!.toFixed(1),
      cpu.toFixed(1),
    ]);
  }
  const points = curves.curves.reduce((n, c) => n + c.epochs.length, 0);
  console.log(
    `curves at ${trials} trials: ${curves.curves.length} curves, ${curves.maxPoints} points max per curve, ${points} points in all`,
  );
  await db.$disconnect();
  return lines;
}

async function main() {
  const header = ['trials', 'query', 'median ms', 'p95 ms', 'max ms', 'median cpu ms'];
  const lines: string[][] = [];
  for (const trials of sizes) lines.push(...(await measure(trials)));
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${fmt(header)}`);
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
  console.log('\ngoal: detail page < 150 ms at 1,000 trials, < 300 ms at 10,000');
}

await main();
