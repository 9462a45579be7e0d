/**
 * `npm start`: the whole embedded stack on one machine — migrate SQLite, start the Temporal
 * dev server (SQLite file under .data/), the worker (control + GPU queues) and the dashboard,
 * then launch a demo sweep (real fine-tuning, tools/lib/demo-sweep.ts) so there is something to
 * look at. Ctrl-C stops everything.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { connectTemporal, createTemporalSweepGateway, ensureAdmin, launchSweep } from '@retune/api';
import type { SweepSpecInput } from '@retune/core';
import { createDb, createRepositories } from '@retune/db';
import { applyMigrations } from '@retune/db/migrations';
import { loadToolsEnv, repoRoot } from './env';
import { ensureDashboardBuild } from './lib/dashboard-build';
import { chooseDemoSweep } from './lib/demo-prepare';
import { startProcess, stopAll, waitForPort, type Managed } from './lib/processes';
import { ensureTemporal } from './lib/temporal-cli';

const env = loadToolsEnv();
const dataDir = env.RETUNE_DATA_DIR;
const bin = (name: string) => join(repoRoot, 'node_modules/.bin', name);
const log = (msg: string) => console.log(`[retune] ${msg}`);

const processes: Managed[] = [];
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    log('stopping…');
    await stopAll(processes);
    log('all processes stopped');
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGHUP', () => void shutdown(0));

function supervise(p: Managed): Managed {
  processes.push(p);
  log(`started ${p.name} (pid ${p.child.pid})`);
  void p.exited.then((code) => {
    if (!stopping) {
      log(`${p.name} exited unexpectedly (code ${code}); stopping the rest`);
      void shutdown(1);
    }
  });
  return p;
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });

  log(`migrating ${env.DATABASE_URL}`);
  await applyMigrations(env.DATABASE_URL);
  await ensureAdminAccount();

  const temporalAddress = env.TEMPORAL_ADDRESS ?? `127.0.0.1:${env.TEMPORAL_PORT}`;
  if (env.TEMPORAL_ADDRESS) {
    log(`using the Temporal cluster at ${env.TEMPORAL_ADDRESS}`);
  } else {
    const temporal = await ensureTemporal();
    supervise(
      startProcess('temporal', temporal, [
        'server',
        'start-dev',
        '--db-filename',
        join(dataDir, 'temporal.db'),
        '--ip',
        '127.0.0.1',
        '--port',
        String(env.TEMPORAL_PORT),
        '--ui-port',
        String(env.TEMPORAL_UI_PORT),
        '--namespace',
        env.TEMPORAL_NAMESPACE,
        '--log-level',
        'error',
      ]),
    );
    await waitForPort('127.0.0.1', env.TEMPORAL_PORT, 60_000, 'the Temporal dev server');
  }

  const childEnv = {
    DATABASE_URL: env.DATABASE_URL,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE,
    TEMPORAL_UI_URL: `http://localhost:${env.TEMPORAL_UI_PORT}`,
    RETUNE_WORK_DIR: join(dataDir, 'work'),
  };
  supervise(
    startProcess(
      'worker',
      bin('tsx'),
      ['apps/worker/src/main.ts', '--slots', String(env.RETUNE_SLOTS)],
      {
        cwd: repoRoot,
        env: childEnv,
      },
    ),
  );

  // The demo's base and dataset are fetched (first run only) while the dashboard builds.
  const demoSweep = env.RETUNE_DEMO && (await databaseIsEmpty()) ? chooseDemoSweep(log) : undefined;
  const dashboardDir = join(repoRoot, 'apps/dashboard');
  if (env.RETUNE_DASHBOARD_MODE === 'production') {
    // Rebuilt only when its sources changed, so the dashboard always matches the code.
    await ensureDashboardBuild({
      repoRoot,
      distDir: join(dashboardDir, process.env['RETUNE_DASHBOARD_DIST'] ?? '.next'),
      env: process.env,
      build: () =>
        startProcess('build', bin('next'), ['build'], { cwd: dashboardDir, env: childEnv }).exited,
      log,
    });
  }
  supervise(
    startProcess(
      'dashboard',
      bin('next'),
      [env.RETUNE_DASHBOARD_MODE === 'dev' ? 'dev' : 'start', '-p', String(env.PORT)],
      { cwd: dashboardDir, env: { ...childEnv, PORT: String(env.PORT) } },
    ),
  );
  await waitForPort('127.0.0.1', env.PORT, 120_000, 'the dashboard');

  if (demoSweep) await launchDemoSweep(temporalAddress, await demoSweep);

  log('');
  log(`dashboard:    http://localhost:${env.PORT}`);
  if (!env.TEMPORAL_ADDRESS) log(`Temporal UI:  http://localhost:${env.TEMPORAL_UI_PORT}`);
  log(`sign in:      http://localhost:${env.PORT}/sign-in (users: npm run retune -- user list)`);
  log('CLI:          npm run retune -- sweep list');
  log('Ctrl-C stops everything.');
}

/** Auth is on from the first run: with no users yet, create the admin and say how to sign in. */
async function ensureAdminAccount(): Promise<void> {
  const db = createDb(env.DATABASE_URL);
  try {
    const created = await ensureAdmin(
      { repos: createRepositories(db) },
      { email: env.RETUNE_ADMIN_EMAIL, password: env.RETUNE_ADMIN_PASSWORD },
    );
    if (!created) return;
    log(`created the admin account ${created.user.email}`);
    if (created.generatedPassword) {
      // The only time this password is shown; only its scrypt hash is stored.
      log(`its one-time password: ${created.generatedPassword}`);
      log('(shown only now; set RETUNE_ADMIN_PASSWORD to choose it, or add users with');
      log(' npm run retune -- user create --email you@example.com --admin)');
    }
  } finally {
    await db.$disconnect();
  }
}

async function databaseIsEmpty(): Promise<boolean> {
  const db = createDb(env.DATABASE_URL);
  try {
    return (await createRepositories(db).sweeps.list({ limit: 1 })).length === 0;
  } finally {
    await db.$disconnect();
  }
}

async function launchDemoSweep(temporalAddress: string, spec: SweepSpecInput): Promise<void> {
  const db = createDb(env.DATABASE_URL);
  const repos = createRepositories(db);
  try {
    if ((await repos.sweeps.list({ limit: 1 })).length > 0) return;
    const client = await connectTemporal({
      address: temporalAddress,
      namespace: env.TEMPORAL_NAMESPACE,
    });
    const sweep = await launchSweep({ repos, temporal: createTemporalSweepGateway(client) }, spec);
    log(`launched the demo sweep ${sweep.id}: http://localhost:${env.PORT}/sweeps/${sweep.id}`);
    await client.connection.close();
  } finally {
    await db.$disconnect();
  }
}

main().catch(async (err: unknown) => {
  console.error(`[retune] ${err instanceof Error ? err.message : String(err)}`);
  await shutdown(1);
});
