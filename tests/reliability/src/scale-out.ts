/**
 * Scale-out: GPU workers on two simulated hosts (network namespaces) share one Temporal server
 * and one database over their own addresses; one host's link is cut mid-trial and its trials
 * must finish on the other host, resumed from their checkpoints.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pgDriver from 'pg';
import { createTemporalSweepGateway, launchSweep } from '@retune/api';
import { createDb, createRepositories } from '@retune/db';
import { applyMigrations } from '@retune/db/migrations';
import { faultSpec, type SweepShape } from './harness/faults';
import { checkSweep, type SweepCheck } from './harness/invariants';
import { createHosts } from './harness/netns';
import {
  postgresBinDir,
  startPrivatePostgres,
  type PrivatePostgres,
} from './harness/private-postgres';
import { sleep, Stack } from './harness/stack';

export interface ScaleOutResult extends SweepCheck {
  database: 'PostgreSQL' | 'SQLite';
  sweepId: string;
  /** Trials running on the cut host when its link went down. */
  cutTrials: { id: string; finishedOn: string | null; attempts: number; status: string }[];
  survivorWorker: string;
  recoveryMs: number | null;
  /** What the cut host left behind in PostgreSQL (see watchLocks). */
  locks?: LockWatch;
}

export interface LockWatch {
  /** Most sessions of the cut host seen idle inside an open transaction at once. */
  maxIdleInTransaction: number;
  /** Most sessions of other clients seen waiting for a lock at once. */
  maxWaitingForLock: number;
  /** How long some session was waiting for a lock, in all (sampled every 500 ms). */
  lockWaitMs: number;
}

/**
 * Samples pg_stat_activity: a host cut in the middle of a transaction keeps its row locks (the
 * server sees an idle client, not a dead one), and the other host's writes to the same rows wait.
 */
function watchLocks(url: string, cutAddress: string) {
  const client = new pgDriver.Client({ connectionString: url });
  const seen: LockWatch = { maxIdleInTransaction: 0, maxWaitingForLock: 0, lockWaitMs: 0 };
  let stopped = false;
  const loop = (async () => {
    await client.connect();
    while (!stopped) {
      const { rows } = await client.query<{ idle: string; waiting: string }>(
        `select count(*) filter (where state like 'idle in transaction%' and client_addr = $1) as idle,
                count(*) filter (where wait_event_type = 'Lock') as waiting
           from pg_stat_activity`,
        [cutAddress],
      );
      const idle = Number(rows[0]!.idle);
      const waiting = Number(rows[0]!.waiting);
      seen.maxIdleInTransaction = Math.max(seen.maxIdleInTransaction, idle);
      seen.maxWaitingForLock = Math.max(seen.maxWaitingForLock, waiting);
      if (waiting > 0) seen.lockWaitMs += 500;
      await sleep(500);
    }
    await client.end();
  })().catch(() => {});
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return seen;
    },
  };
}

export async function runScaleOut(opts: {
  temporalBin: string;
  shape: SweepShape;
  log?: (line: string) => void;
  verbose?: boolean;
}): Promise<ScaleOutResult> {
  const log = opts.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'retune-scale-out-'));
  const bin = postgresBinDir();
  let pg: PrivatePostgres | null = null;
  const { hosts, destroy } = createHosts(2);
  let stack: Stack | null = null;
  try {
    // PostgreSQL over the network when installed; otherwise SQLite on the shared filesystem.
    pg = bin ? await startPrivatePostgres(bin, { listenAll: true }) : null;
    const dbUrl = pg ? pg.url : `file:${join(dir, 'retune.db')}`;
    await applyMigrations(dbUrl);
    const db = createDb(dbUrl);
    const repos = createRepositories(db);
    stack = new Stack({
      dir,
      dbUrl,
      temporalBin: opts.temporalBin,
      gpuWorkers: 0,
      slotsPerWorker: 2,
      temporalIp: '0.0.0.0',
      verbose: opts.verbose ?? false,
    });
    await stack.start(hosts.map((h) => ({ name: h.name, netns: h.name, gateway: h.gateway })));
    const [cut, survivor] = hosts as [(typeof hosts)[0], (typeof hosts)[0]];
    const victim = stack.gpu.get(cut.name)!.name;
    const survivorWorker = stack.gpu.get(survivor.name)!.name;
    log(`hosts up: ${victim} at ${cut.address}, ${survivorWorker} at ${survivor.address}`);

    const sweep = await launchSweep(
      { repos, temporal: createTemporalSweepGateway(await stack.temporalClient()) },
      faultSpec('cut GPU host link (netns)', opts.shape),
    );
    const deadline = Date.now() + 120_000;
    let running: { id: string }[] = [];
    for (;;) {
      const rows = await db.trial.findMany({
        where: { sweepId: sweep.id, status: 'running', worker: victim },
        select: { id: true, _count: { select: { metrics: { where: { name: 'val_acc' } } } } },
      });
      if (rows.some((r) => r._count.metrics >= 3)) {
        running = rows;
        break;
      }
      if (Date.now() > deadline) throw new Error(`no trial got going on ${victim}`);
      await sleep(100);
    }
    // Heartbeats are throttled to one a second: give the newest checkpoint's heartbeat time to
    // reach Temporal, or the moved trial would rightly start over and prove nothing.
    await sleep(1500);
    cut.cut();
    const cutAt = Date.now();
    log(`cut ${cut.name}'s link with ${running.length} trial(s) running there`);
    const watch = pg ? watchLocks(pg.url, cut.address) : null;

    let recoveryMs: number | null = null;
    const end = Date.now() + 300_000;
    for (;;) {
      const done = await db.trial.count({
        where: { id: { in: running.map((r) => r.id) }, finishedAt: { not: null } },
      });
      if (recoveryMs === null && done === running.length) recoveryMs = Date.now() - cutAt;
      const row = await db.sweep.findUnique({ where: { id: sweep.id }, select: { status: true } });
      if (row && ['completed', 'failed', 'cancelled'].includes(row.status)) break;
      if (Date.now() > end) break;
      await sleep(200);
    }
    const locks = await watch?.stop();
    if (locks) log(`PostgreSQL after the cut: ${JSON.stringify(locks)}`);
    const check = await checkSweep(db, stack.workDir, sweep.id);
    const cutTrials = await db.trial.findMany({
      where: { id: { in: running.map((r) => r.id) } },
      select: { id: true, worker: true, attempts: true, status: true },
    });
    await db.$disconnect();
    return {
      ...check,
      database: pg ? 'PostgreSQL' : 'SQLite',
      sweepId: sweep.id,
      cutTrials: cutTrials.map((t) => ({
        id: t.id,
        finishedOn: t.worker,
        attempts: t.attempts,
        status: t.status,
      })),
      survivorWorker,
      recoveryMs,
      ...(locks ? { locks } : {}),
    };
  } finally {
    for (const h of hosts) {
      try {
        h.restore();
      } catch {
        /* gone */
      }
    }
    await stack?.stop();
    destroy();
    pg?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
