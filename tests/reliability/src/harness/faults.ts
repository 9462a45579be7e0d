/**
 * Fault scenarios: each launches a sweep on a running Stack, injects one fault while trials are
 * mid-flight, waits for the sweep to finish and checks the invariants.
 */
import { join } from 'node:path';
import { createTemporalSweepGateway, launchSweep } from '@retune/api';
import { createRepositories, type Db } from '@retune/db';
import { repoRoot } from '@retune/worker';
import { checkSweep, type SweepCheck } from './invariants';
import { killHard, sleep, type Stack } from './stack';

export type FaultName =
  | 'kill -9 GPU worker'
  | 'kill -9 control worker'
  | 'kill -9 + restart Temporal'
  | 'trainer hangs (no output)'
  | 'PostgreSQL down 8 s'
  | 'kill -9 + restart dashboard'
  | 'cut GPU host link (netns)';

export interface FaultRun extends SweepCheck {
  fault: FaultName;
  sweepId: string;
  injected: number;
  /** From injection until every trial running at that moment had its final row. */
  recoveryMs: number | null;
  durationMs: number;
}

export interface SweepShape {
  trials: number;
  epochs: number;
  sleepMs: number;
  maxParallel: number;
}

const faultTrainer = join(repoRoot, 'tests/reliability/trainers/fault-trainer.mjs');

/** The sweep every scenario runs: the fault trainer, short heartbeat timeout, 3 retries. */
export function faultSpec(fault: FaultName, shape: SweepShape) {
  return {
    name: `reliability: ${fault}`,
    dataset: 'none',
    baseModel: 'none',
    algorithm: 'random',
    seed: 11,
    maxTrials: shape.trials,
    maxParallel: shape.maxParallel,
    maxRetries: 3,
    heartbeatTimeoutSeconds: 3,
    // A hung trainer keeps its worker heartbeating: only this timeout catches it.
    trialTimeoutSeconds: fault === 'trainer hangs (no output)' ? 8 : 120,
    trainer: { command: [process.execPath, faultTrainer] },
    fixed: {
      // The GPU-worker kill waits for a checkpoint heartbeat before striking: its trials run
      // twice as long, so the victim's trial is still mid-flight when it does, even under load.
      epochs: fault === 'kill -9 GPU worker' ? shape.epochs * 2 : shape.epochs,
      sleepMs: shape.sleepMs,
      ...(fault === 'trainer hangs (no output)' ? { hangEvery: 4 } : {}),
    },
    searchSpace: {
      headLr: { type: 'loguniform', min: 0.0001, max: 0.1 },
      freezeDepth: { type: 'int', min: 0, max: 6, step: 2 },
    },
  };
}

/** Retries a DB read through an outage. */
async function patiently<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await fn();
    } catch {
      await sleep(500);
    }
  }
}

async function waitFor(what: string, timeoutMs: number, ok: () => Promise<boolean>) {
  const deadline = Date.now() + timeoutMs;
  while (!(await patiently(ok))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Trials of the sweep that are running with at least `epochs` epochs stored. */
async function progressedTrials(db: Db, sweepId: string, epochs: number, worker?: string) {
  const running = await db.trial.findMany({
    where: { sweepId, status: 'running', ...(worker ? { worker } : {}) },
    select: { id: true, _count: { select: { metrics: { where: { name: 'val_acc' } } } } },
  });
  return running.filter((t) => t._count.metrics >= epochs).map((t) => t.id);
}

export interface FaultContext {
  stack: Stack;
  db: Db;
  /** Stops and restarts the database (PostgreSQL scenario only). */
  dbOutage?: (downMs: number) => Promise<void>;
  /** An API token the dashboard accepts (dashboard scenario only). */
  apiToken?: string;
}

/**
 * Reads the sweep through the dashboard's API every 100 ms, as an open sweep page does; `up()`
 * says whether the last read answered. Mutations go through the same API.
 */
function dashboardClient(stack: Stack, token: string, sweepId: string) {
  const base = () => `http://127.0.0.1:${stack.dashboardPort}/api/trpc`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const read = async () => {
    const input = encodeURIComponent(JSON.stringify({ id: sweepId }));
    const res = await fetch(`${base()}/sweep.get?input=${input}`, { headers });
    return res.ok;
  };
  return {
    read: () => read().catch(() => false),
    async mutate(path: string, input: unknown): Promise<void> {
      const res = await fetch(`${base()}/${path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(input),
      });
      if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    },
  };
}

export async function runFault(
  fault: FaultName,
  ctx: FaultContext,
  shape: SweepShape,
): Promise<FaultRun> {
  const { stack, db } = ctx;
  const repos = createRepositories(db);
  const started = Date.now();
  const client = await stack.temporalClient();
  const sweep = await launchSweep(
    { repos, temporal: createTemporalSweepGateway(client) },
    faultSpec(fault, shape),
  );
  const sweepId = sweep.id;

  // Inject once a trial (on the victim, when there is one) has checkpointed a few times, so
  // its checkpoint heartbeat has reached Temporal and a retry has something to resume from.
  const victim = fault === 'kill -9 GPU worker' ? [...stack.gpu.values()][0]!.name : undefined;
  await waitFor('a trial with 3 epochs', 120_000, async () => {
    return (await progressedTrials(db, sweepId, 3, victim)).length > 0;
  });
  // Metric points reach the database before the checkpoint's heartbeat (throttled to one a
  // second) reaches Temporal: give it that second, or the retry rightly starts over.
  if (victim) await sleep(1200);
  const runningAtInjection = await db.trial.findMany({
    where: { sweepId, status: 'running' },
    select: { id: true },
  });
  let injectedAt = Date.now();
  let injected = 1;
  let dashboardBackMs: number | null = null;
  switch (fault) {
    case 'kill -9 GPU worker': {
      const [name, proc] = [...stack.gpu.entries()][0]!;
      await killHard(proc);
      // A supervisor restarts the host's worker; the dead one's trials time out meanwhile.
      await stack.startGpu(name);
      break;
    }
    case 'kill -9 control worker':
      await killHard(stack.control!);
      await sleep(1000);
      await stack.startControl();
      break;
    case 'kill -9 + restart Temporal':
      await stack.restartTemporal(1000);
      break;
    case 'trainer hangs (no output)': {
      // The fault is in the trainer itself; count the trials that hung.
      injectedAt = started;
      injected = 0;
      break;
    }
    case 'PostgreSQL down 8 s':
      await ctx.dbOutage!(8000);
      break;
    case 'kill -9 + restart dashboard': {
      const api = dashboardClient(stack, ctx.apiToken!, sweepId);
      if (!(await api.read())) throw new Error('the dashboard API did not answer before the fault');
      await stack.restartDashboard(1000);
      // Recovery: until the API answers again, then it must still drive the sweep.
      await waitFor('the dashboard API after its restart', 120_000, api.read);
      dashboardBackMs = Date.now() - injectedAt;
      await api.mutate('sweep.control', { id: sweepId, request: { action: 'pause' } });
      await sleep(500);
      await api.mutate('sweep.control', { id: sweepId, request: { action: 'resume' } });
      break;
    }
  }

  const deadline = Date.now() + 600_000;
  let recoveryMs: number | null = null;
  const pending = new Set(runningAtInjection.map((t) => t.id));
  for (;;) {
    const row = await patiently(() =>
      db.sweep.findUnique({ where: { id: sweepId }, select: { status: true } }),
    );
    if (recoveryMs === null) {
      const finished = await patiently(() =>
        db.trial.findMany({
          where: { id: { in: [...pending] }, finishedAt: { not: null } },
          select: { id: true },
        }),
      );
      for (const t of finished) pending.delete(t.id);
      if (pending.size === 0) recoveryMs = Date.now() - injectedAt;
    }
    if (row && ['completed', 'failed', 'cancelled'].includes(row.status)) break;
    if (Date.now() > deadline) break;
    await sleep(200);
  }
  if (fault === 'trainer hangs (no output)') {
    injected = Math.floor((shape.trials - 1 - 1) / 4) + 1;
    recoveryMs = null; // reported as the trial timeout instead
  }
  // Trials never depend on the dashboard: its recovery is the API answering again.
  if (fault === 'kill -9 + restart dashboard') recoveryMs = dashboardBackMs;
  const check = await checkSweep(db, stack.workDir, sweepId);
  return { fault, sweepId, injected, recoveryMs, durationMs: Date.now() - started, ...check };
}

export interface FaultRow {
  fault: FaultName;
  injected: number;
  sweeps: number;
  completed: number;
  lost: number;
  duplicated: number;
  retried: number;
  resumed: number;
  orphans: number;
  meanRecoveryMs: number | null;
}

export function summarise(runs: FaultRun[]): FaultRow[] {
  const rows = new Map<FaultName, FaultRow>();
  const recoveries = new Map<FaultName, number[]>();
  for (const r of runs) {
    const row = rows.get(r.fault) ?? {
      fault: r.fault,
      injected: 0,
      sweeps: 0,
      completed: 0,
      lost: 0,
      duplicated: 0,
      retried: 0,
      resumed: 0,
      orphans: 0,
      meanRecoveryMs: null,
    };
    row.injected += r.injected;
    row.sweeps++;
    if (r.sweepStatus === 'completed') row.completed++;
    row.lost += r.lost;
    row.duplicated += r.duplicated;
    row.retried += r.retried;
    row.resumed += r.resumed;
    row.orphans += r.orphans.length;
    rows.set(r.fault, row);
    if (r.recoveryMs !== null)
      recoveries.set(r.fault, [...(recoveries.get(r.fault) ?? []), r.recoveryMs]);
  }
  for (const [fault, list] of recoveries) {
    rows.get(fault)!.meanRecoveryMs = list.reduce((a, b) => a + b, 0) / list.length;
  }
  return [...rows.values()];
}

export function formatFaultTable(rows: FaultRow[]): string {
  const header = [
    'fault',
    'injected',
    'sweeps completed',
    'lost',
    'duplicated',
    'retried',
    'resumed from ckpt',
    'orphans',
    'mean recovery',
  ];
  const body = rows.map((r) => [
    r.fault,
    String(r.injected),
    `${r.completed}/${r.sweeps}`,
    String(r.lost),
    String(r.duplicated),
    String(r.retried),
    String(r.resumed),
    String(r.orphans),
    r.meanRecoveryMs === null ? 'trial timeout' : `${(r.meanRecoveryMs / 1000).toFixed(1)} s`,
  ]);
  return markdownTable(header, body);
}

export function markdownTable(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    line(header),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...body.map(line),
  ].join('\n');
}
