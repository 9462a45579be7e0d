/**
 * Runs fault scenarios against the real stack: SQLite for most, a private PostgreSQL cluster for
 * the database outage (skipped, with the reason, where PostgreSQL is not installed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiToken, createUser } from '@retune/api';
import { createDb, createRepositories } from '@retune/db';
import { applyMigrations } from '@retune/db/migrations';
import { runFault, type FaultName, type FaultRun, type SweepShape } from './harness/faults';
import { postgresBinDir, startPrivatePostgres } from './harness/private-postgres';
import { Stack } from './harness/stack';

export interface FaultSuiteOptions {
  temporalBin: string;
  faults: FaultName[];
  repetitions: number;
  shape: SweepShape;
  gpuWorkers?: number;
  slotsPerWorker?: number;
  log?: (line: string) => void;
  verbose?: boolean;
}

export interface FaultSuiteResult {
  runs: FaultRun[];
  skipped: { fault: FaultName; reason: string }[];
}

async function onStack(
  opts: FaultSuiteOptions,
  dbUrl: string,
  faults: FaultName[],
  dbOutage: ((ms: number) => Promise<void>) | undefined,
  runs: FaultRun[],
): Promise<void> {
  const log = opts.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'retune-reliability-'));
  await applyMigrations(dbUrl);
  const db = createDb(dbUrl);
  const stack = new Stack({
    dir,
    dbUrl,
    temporalBin: opts.temporalBin,
    gpuWorkers: opts.gpuWorkers ?? 2,
    slotsPerWorker: opts.slotsPerWorker ?? 2,
    verbose: opts.verbose ?? false,
  });
  let apiToken: string | undefined;
  try {
    const t0 = Date.now();
    await stack.start();
    if (faults.includes('kill -9 + restart dashboard')) {
      const repos = createRepositories(db);
      const user = await createUser(
        { repos },
        { email: 'reliability@localhost', password: 'reliability-suite-password' },
      );
      ({ token: apiToken } = await createApiToken({ repos }, { userId: user.id, name: 'suite' }));
      await stack.startDashboard();
    }
    log(`stack up in ${((Date.now() - t0) / 1000).toFixed(1)} s (${dbUrl.split(':')[0]})`);
    for (const fault of faults) {
      for (let rep = 1; rep <= opts.repetitions; rep++) {
        const run = await runFault(
          fault,
          { stack, db, ...(dbOutage ? { dbOutage } : {}), ...(apiToken ? { apiToken } : {}) },
          opts.shape,
        );
        runs.push(run);
        log(
          `${fault} #${rep}: sweep ${run.sweepStatus}, lost ${run.lost}, duplicated ${run.duplicated}, ` +
            `retried ${run.retried} (resumed ${run.resumed}), recovery ${run.recoveryMs ?? '-'} ms, ` +
            `${(run.durationMs / 1000).toFixed(1)} s${run.problems.length ? ` — ${run.problems.join('; ')}` : ''}`,
        );
      }
    }
  } finally {
    await stack.stop();
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runFaultSuite(opts: FaultSuiteOptions): Promise<FaultSuiteResult> {
  const runs: FaultRun[] = [];
  const skipped: FaultSuiteResult['skipped'] = [];
  const sqliteFaults = opts.faults.filter((f) => f !== 'PostgreSQL down 8 s');
  if (sqliteFaults.length > 0) {
    const dir = mkdtempSync(join(tmpdir(), 'retune-reliability-db-'));
    await onStack(opts, `file:${join(dir, 'retune.db')}`, sqliteFaults, undefined, runs);
    rmSync(dir, { recursive: true, force: true });
  }
  if (opts.faults.includes('PostgreSQL down 8 s')) {
    const bin = postgresBinDir();
    if (!bin) {
      skipped.push({
        fault: 'PostgreSQL down 8 s',
        reason:
          'PostgreSQL is not installed (/usr/lib/postgresql/*/bin; .ci/postgres.sh installs it)',
      });
    } else {
      const pg = await startPrivatePostgres(bin);
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      try {
        await onStack(
          opts,
          pg.url,
          ['PostgreSQL down 8 s'],
          async (ms) => {
            pg.stop();
            await sleep(ms);
            pg.start();
          },
          runs,
        );
      } finally {
        pg.destroy();
      }
    }
  }
  return { runs, skipped };
}
