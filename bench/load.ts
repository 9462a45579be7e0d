/**
 * Load: (1) metric ingestion into SQLite and PostgreSQL through the repository the trial
 * activity uses (batches of 200, as MetricBuffer sends them, from 8 concurrent trials);
 * (2) 10 concurrent sweeps on 16 slots with the no-op trainer, through the whole stack;
 * (3) the tRPC API (the handler the dashboard mounts, on node:http) under 50 concurrent
 * keep-alive readers on loopback: requests/s, p50/p99 latency. Prints markdown tables.
 *
 *   npm run bench:load -- [--points 40000] [--sweeps 10] [--trials 16] [--slots 16]
 *                         [--readers 50] [--seconds 10] [--out bench-load.md]
 *
 * PostgreSQL is measured when RETUNE_TEST_POSTGRES_URL is set (a scratch database is created
 * and dropped there). The readers run in this process, on the same cores as the server.
 */
import { writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHTTPServer } from '@trpc/server/adapters/standalone';
import pg from 'pg';
import { appRouter, createTemporalSweepGateway, FakeSweepGateway, newSweepId } from '@retune/api';
import { parseSweepSpec, sweepWorkflowId, trialId } from '@retune/core';
import type { Repositories } from '@retune/db';
import { openTestDatabase, startTemporal, startTestWorkers } from '@retune/worker/test-stack';
import { ensureTemporal } from '@retune/tools/temporal-cli';
import { scriptArg } from '@retune/tools/script-args';
import { noopSweepSpec } from './noop-sweep';

const POINTS = Number(scriptArg('points', '40000'));
const SWEEPS = Number(scriptArg('sweeps', '10'));
const TRIALS = Number(scriptArg('trials', '16'));
const SLOTS = Number(scriptArg('slots', '16'));
const READERS = Number(scriptArg('readers', '50'));
const SECONDS = Number(scriptArg('seconds', '10'));
const WRITERS = 8;
const BATCH = 200;

const table = (header: string[], rows: string[][]) => {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(w[i]!)).join(' | ')} |`;
  return [line(header), `| ${w.map((n) => '-'.repeat(n)).join(' | ')} |`, ...rows.map(line)].join(
    '\n',
  );
};

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** Creates one sweep with `trials` trial rows to hang metric points on. */
async function seedTrials(repos: Repositories, trials: number): Promise<string[]> {
  const spec = parseSweepSpec({
    name: 'ingest',
    dataset: 'none',
    baseModel: 'none',
    trainer: { name: 'synthetic' },
    algorithm: 'random',
    maxTrials: trials,
    searchSpace: { x: { type: 'uniform', min: 0, max: 1 } },
  });
  const id = newSweepId();
  await repos.sweeps.create({ id, name: spec.name, spec, plannedTrials: trials });
  const planned = Array.from({ length: trials }, (_, n) => ({
    trialId: trialId(id, n),
    number: n,
    params: { x: n },
  }));
  await repos.trials.ensure(id, planned);
  return planned.map((t) => t.trialId);
}

async function ingest(label: string, url: string): Promise<string[]> {
  const { db, repos } = await openTestDatabase(url);
  const trials = await seedTrials(repos, WRITERS);
  const perWriter = Math.ceil(POINTS / WRITERS / BATCH);
  const started = performance.now();
  await Promise.all(
    trials.map(async (id) => {
      for (let b = 0; b < perWriter; b++) {
        // 4 metrics per epoch, like a trainer's loss/acc/val_loss/val_acc.
        const points = Array.from({ length: BATCH }, (_, i) => {
          const k = b * BATCH + i;
          return { epoch: Math.floor(k / 4), step: Math.floor(k / 4), name: `m${k % 4}`, value: k };
        });
        await repos.metrics.write(id, points);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const total = perWriter * BATCH * WRITERS;
  await db.$disconnect();
  return [
    label,
    `${WRITERS} × ${BATCH}`,
    total.toLocaleString('en'),
    seconds.toFixed(1),
    Math.round(total / seconds).toLocaleString('en'),
  ];
}

async function scratchPostgres(base: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `retune_load_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** SWEEPS sweeps of TRIALS × 1 s no-op trials at once on SLOTS slots. */
async function concurrentSweeps(dbUrl: string): Promise<{ row: string[]; repos: Repositories }> {
  const env = await startTemporal(await ensureTemporal(), 'ERROR');
  const { db, repos } = await openTestDatabase(dbUrl);
  const workers = await startTestWorkers(
    env,
    repos,
    mkdtempSync(join(tmpdir(), 'retune-load-work-')),
    {
      workerId: 'load',
      slots: SLOTS,
      trainerEnv: { ...process.env, NOOP_SECONDS: '1' },
    },
  );
  const gateway = createTemporalSweepGateway(env.client);
  try {
    const started = performance.now();
    const ids = await Promise.all(
      Array.from({ length: SWEEPS }, async (_, i) => {
        // Each sweep may use every slot: they compete, as real users' sweeps do.
        const spec = noopSweepSpec(`load ${i}`, TRIALS, SLOTS);
        const id = newSweepId();
        await repos.sweeps.create({ id, name: spec.name, spec, plannedTrials: TRIALS });
        await gateway.start({ sweepId: id, spec });
        return id;
      }),
    );
    await Promise.all(ids.map((id) => env.client.workflow.getHandle(sweepWorkflowId(id)).result()));
    const makespan = (performance.now() - started) / 1000;
    const completed = await db.trial.count({
      where: { sweepId: { in: ids }, status: 'completed' },
    });
    const total = SWEEPS * TRIALS;
    const ideal = Math.ceil(total / SLOTS);
    return {
      repos,
      row: [
        `${SWEEPS} × ${TRIALS}`,
        String(SLOTS),
        `${completed}/${total}`,
        `${ideal} s`,
        `${makespan.toFixed(1)} s`,
        `${((makespan / ideal - 1) * 100).toFixed(0)} %`,
      ],
    };
  } finally {
    await workers.stop();
    await env.teardown();
  }
}

/** READERS keep-alive clients hammer sweep.list and sweep.get for SECONDS. */
async function readers(repos: Repositories): Promise<string[][]> {
  const noTemporal = new FakeSweepGateway({ refuse: 'read-only bench' });
  const server = createHTTPServer({
    router: appRouter,
    // Signed in (the procedures are protected); session lookup is not what is measured.
    createContext: () => ({
      repos,
      temporal: noTemporal,
      user: { id: 'bench', email: 'bench@example.com', role: 'admin' as const },
    }),
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const sweeps = await repos.sweeps.list({ limit: 100 });
  const paths = {
    'sweep.list': `/sweep.list?input=${encodeURIComponent(JSON.stringify({ limit: 50 }))}`,
    'sweep.get': `/sweep.get?input=${encodeURIComponent(JSON.stringify({ id: sweeps[0]!.id }))}`,
  };
  const agent = new Agent({ keepAlive: true, maxSockets: READERS });
  const get = (path: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
  const rows: string[][] = [];
  for (const [name, path] of Object.entries(paths)) {
    const latencies: number[] = [];
    let errors = 0;
    const until = performance.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: READERS }, async () => {
        while (performance.now() < until) {
          const t0 = performance.now();
          const status = await get(path);
          latencies.push(performance.now() - t0);
          if (status !== 200) errors++;
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    rows.push([
      name,
      String(READERS),
      Math.round(latencies.length / SECONDS).toLocaleString('en'),
      `${percentile(latencies, 50).toFixed(1)} ms`,
      `${percentile(latencies, 99).toFixed(1)} ms`,
      String(errors),
    ]);
  }
  agent.destroy();
  await new Promise((r) => server.close(r));
  return rows;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'retune-load-'));
  const out: string[] = [];
  const say = (s: string) => {
    console.log(s);
    out.push(s);
  };

  console.error('metric ingestion…');
  const ingestRows = [await ingest('SQLite', `file:${join(dir, 'ingest.db')}`)];
  const pgBase = process.env.RETUNE_TEST_POSTGRES_URL;
  if (pgBase) {
    const scratch = await scratchPostgres(pgBase);
    try {
      ingestRows.push(await ingest('PostgreSQL', scratch.url));
    } finally {
      await scratch.drop();
    }
  }
  say('### Metric ingestion (MetricRepository.write, one multi-row upsert per batch)\n');
  say(table(['database', 'writers × batch', 'points', 'seconds', 'points/s'], ingestRows));
  if (!pgBase) say('\nPostgreSQL: skipped (set RETUNE_TEST_POSTGRES_URL).');

  console.error(`${SWEEPS} concurrent sweeps on ${SLOTS} slots…`);
  const sweeps = await concurrentSweeps(`file:${join(dir, 'sweeps.db')}`);
  say('\n### Concurrent sweeps (1 s no-op trainer, SQLite)\n');
  say(
    table(['sweeps × trials', 'slots', 'completed', 'ideal', 'makespan', 'overhead'], [sweeps.row]),
  );

  console.error(`${READERS} concurrent API readers for ${SECONDS} s each…`);
  say(`\n### tRPC API under ${READERS} concurrent readers (loopback, keep-alive, SQLite)\n`);
  say(
    table(
      ['procedure', 'readers', 'requests/s', 'p50', 'p99', 'errors'],
      await readers(sweeps.repos),
    ),
  );
  const file = scriptArg('out', '');
  if (file) writeFileSync(file, out.join('\n') + '\n');
}

await main();
