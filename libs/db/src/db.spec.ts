import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSweepSpec, trialId } from '@retune/core';
import { createDb, type Db } from './client';
import { RowNotFoundError } from './errors';
import { applyMigrations, loadMigrationList } from './migrations';
import { createRepositories, type Repositories } from './repositories';
import { freshPostgresDatabase, freshSqliteUrl } from './test-support/databases';

/** PostgreSQL server for tests (CI sets it; .ci/postgres.sh prints one). */
const postgresUrl = process.env.RETUNE_TEST_POSTGRES_URL;

if (!postgresUrl) {
  console.warn(
    'PostgreSQL tests skipped: set RETUNE_TEST_POSTGRES_URL (bash .ci/postgres.sh prints one)',
  );
}

const spec = parseSweepSpec({
  name: 'round trip',
  dataset: 'demo:mnist-5-9',
  baseModel: 'demo:cnn',
  algorithm: 'grid',
  metric: { name: 'val_acc', goal: 'maximize' },
  searchSpace: { headLr: { type: 'choice', values: [0.01, 0.1] } },
});

interface Backend {
  name: string;
  setup(): Promise<{ url: string; cleanup(): Promise<void> }>;
  migrationRows(url: string): Promise<string[]>;
}

const backends: Backend[] = [
  {
    name: 'SQLite',
    async setup() {
      return { url: freshSqliteUrl(), cleanup: async () => {} };
    },
    async migrationRows(url) {
      const db = new Database(url.slice('file:'.length), { readonly: true });
      const rows = db
        .prepare('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL')
        .all() as { migration_name: string }[];
      db.close();
      return rows.map((r) => r.migration_name);
    },
  },
  ...(postgresUrl
    ? [
        {
          name: 'PostgreSQL',
          async setup() {
            const { url, drop } = await freshPostgresDatabase(postgresUrl!);
            return { url, cleanup: drop };
          },
          async migrationRows(url: string) {
            const c = new pg.Client({ connectionString: url });
            await c.connect();
            const { rows } = await c.query(
              'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL',
            );
            await c.end();
            return rows.map((r: { migration_name: string }) => r.migration_name);
          },
        },
      ]
    : []),
];

describe.skipIf(!postgresUrl)('PostgreSQL availability', () => {
  // Fails first, and plainly, when RETUNE_TEST_POSTGRES_URL points at no server.
  it('answers as a PostgreSQL server', async () => {
    const c = new pg.Client({ connectionString: postgresUrl });
    await c.connect();
    try {
      const { rows } = await c.query<{ version: string }>('SELECT version() AS version');
      expect(rows[0]?.version).toMatch(/^PostgreSQL \d+/);
    } finally {
      await c.end();
    }
  });
});

describe.each(backends)('$name', (backend) => {
  let url: string;
  let cleanup: () => Promise<void>;
  let db: Db;
  let repos: Repositories;

  beforeAll(async () => {
    ({ url, cleanup } = await backend.setup());
  });
  afterAll(async () => {
    await db?.$disconnect();
    await cleanup?.();
  });

  it('applies the committed migrations to a fresh database, and a second run is a no-op', async () => {
    const provider = backend.name === 'SQLite' ? 'sqlite' : 'postgresql';
    const committed = loadMigrationList(provider).migrationDirectories.map((d) => d.path);
    expect(committed.length).toBeGreaterThan(0);
    expect(await applyMigrations(url)).toEqual(committed);
    expect(await applyMigrations(url)).toEqual([]);
    expect(await backend.migrationRows(url)).toEqual(committed);
    if (provider === 'sqlite') {
      const file = new Database(url.slice('file:'.length), { readonly: true });
      expect(file.pragma('journal_mode', { simple: true })).toBe('wal');
      file.close();
    }
    db = createDb(url);
    repos = createRepositories(db);
  });

  it('round-trips a sweep, its trials and metrics without duplicates on retry', async () => {
    const created = await repos.sweeps.create({
      id: 'sw_rt',
      name: spec.name,
      spec,
      plannedTrials: 2,
    });
    expect(created).toMatchObject({
      id: 'sw_rt',
      status: 'queued',
      metricName: 'val_acc',
      plannedTrials: 2,
    });
    await repos.sweeps.setWorkflowId('sw_rt', 'sweep-sw_rt');

    const planned = [0, 1].map((n) => ({
      trialId: trialId('sw_rt', n),
      number: n,
      params: { headLr: n ? 0.1 : 0.01 },
    }));
    await repos.sweeps.markRunning('sw_rt');
    await repos.trials.ensure('sw_rt', planned);
    await repos.trials.markRunning(planned[0]!.trialId, { worker: 'w1', slot: 0, attempt: 1 });
    await repos.trials.ensure('sw_rt', planned); // a retried activity must not reset progress
    expect((await repos.trials.detail(planned[0]!.trialId))!.device).toBeNull();
    const device = {
      backend: 'tensorflow',
      device: 'NVIDIA H200',
      framework: 'tensorflow',
      frameworkVersion: '2.20.0',
      cuda: '12.5',
      cudnn: '9.3.0.75',
    };
    await repos.trials.setDevice(planned[0]!.trialId, device);
    expect((await repos.trials.detail(planned[0]!.trialId))!.device).toEqual(device);

    // Pipelined slots: a running attempt marks its end before its outcome is recorded.
    const [t0, t1] = planned.map((p) => p.trialId) as [string, string];
    expect(await repos.trials.attemptState(t1)).toBe('pending');
    expect(await repos.trials.attemptState(t0)).toBe('running');
    await repos.trials.markAttemptEnded(t0, 1.5);
    expect(await repos.trials.attemptState(t0)).toBe('ended');
    await repos.trials.markRunning(t0, { worker: 'w1', slot: 0, attempt: 1 }); // a retry
    expect(await repos.trials.attemptState(t0)).toBe('running');
    await repos.trials.markAttemptEnded(t1, 1); // not running: no marker
    expect(await repos.trials.attemptState(t1)).toBe('pending');

    const points = [
      { epoch: 0, step: 0, name: 'val_acc', value: 0.5 },
      { epoch: 1, step: 0, name: 'val_acc', value: 0.7 },
      { epoch: 0, step: 0, name: 'loss', value: 1.2 },
      { epoch: 1, step: 0, name: 'loss', value: Number.NaN },
    ];
    expect(await repos.metrics.write(planned[0]!.trialId, points)).toEqual({
      written: 3,
      skipped: 1,
    });
    await repos.metrics.write(planned[0]!.trialId, points);
    expect(await repos.metrics.forTrial(planned[0]!.trialId)).toEqual([
      { epoch: 0, step: 0, name: 'loss', value: 1.2 },
      { epoch: 0, step: 0, name: 'val_acc', value: 0.5 },
      { epoch: 1, step: 0, name: 'val_acc', value: 0.7 },
    ]);

    const outcome = { status: 'completed' as const, objective: 0.7, values: { val_acc: 0.7 } };
    await repos.trials.finish(planned[0]!.trialId, outcome);
    await repos.trials.finish(planned[0]!.trialId, outcome);
    await repos.trials.markRunning(planned[0]!.trialId, { worker: 'w2', slot: 1, attempt: 2 }); // late retry: no-op
    expect(await repos.trials.cancelPending('sw_rt')).toBe(1);
    await repos.sweeps.finish('sw_rt', {
      status: 'cancelled',
      bestTrialId: planned[0]!.trialId,
      bestValue: 0.7,
    });

    const detail = await repos.sweeps.get('sw_rt');
    expect(detail).toMatchObject({
      status: 'cancelled',
      workflowId: 'sweep-sw_rt',
      bestValue: 0.7,
      dataset: 'demo:mnist-5-9',
      counts: { completed: 1, cancelled: 1, pending: 0, running: 0, failed: 0 },
    });
    expect(detail!.spec).toEqual(JSON.parse(JSON.stringify(spec)));
    expect(detail!.trials.map((t) => [t.number, t.status, t.worker, t.attempts])).toEqual([
      [0, 'completed', 'w1', 1],
      [1, 'cancelled', null, 0],
    ]);
    expect(detail!.trials[0]!.params).toEqual({ headLr: 0.01 });
    expect(detail!.trials[0]!.durationMs).toBeGreaterThanOrEqual(0);

    const [summary] = await repos.sweeps.list();
    expect(summary).toMatchObject({ id: 'sw_rt', counts: { completed: 1, cancelled: 1 } });
    expect(Object.keys(summary!)).not.toContain('spec');
  });

  it('stores where each pbt trial came from, and only that (not how its trainer starts)', async () => {
    await repos.sweeps.create({ id: 'sw_pbt', name: 'pbt', spec, plannedTrials: 2 });
    const placement = (n: number, parent: number | null) => ({
      member: 0,
      generation: n,
      startEpoch: n * 2,
      endEpoch: n * 2 + 2,
      parent,
      ...(parent !== null
        ? { copiedFrom: 1, changes: { lr: { from: 0.1, to: 0.08, how: 'perturb' } } }
        : {}),
      resumeFrom: parent === null ? null : '/work/ckpt.json',
      seedTrial: 0,
    });
    await repos.trials.ensure('sw_pbt', [
      { trialId: 'sw_pbt-t0', number: 0, params: { lr: 0.1 }, pbt: placement(0, null) },
      { trialId: 'sw_pbt-t1', number: 1, params: { lr: 0.08 }, pbt: placement(1, 0) },
      { trialId: 'sw_pbt-t2', number: 2, params: { lr: 0.5 } },
    ]);
    const rows = await repos.trials.pbtTrials('sw_pbt');
    expect(rows.map((r) => r.number)).toEqual([0, 1]);
    expect(rows[1]).toMatchObject({
      status: 'pending',
      params: { lr: 0.08 },
      pbt: { generation: 1, parent: 0, copiedFrom: 1, changes: { lr: { to: 0.08 } } },
    });
    expect(rows[1]!.pbt).not.toHaveProperty('resumeFrom');
  });

  it('updates a live sweep (pause, budget) and reopens a failed trial for a retry', async () => {
    const planned = [{ trialId: 'sw_live-t0', number: 0, params: { headLr: 0.1 } }];
    await repos.sweeps.create({ id: 'sw_live', name: 'live', spec, plannedTrials: 2 });
    await repos.sweeps.markRunning('sw_live');
    await repos.sweeps.update('sw_live', { status: 'paused', plannedTrials: 5 });
    expect(await repos.sweeps.get('sw_live')).toMatchObject({ status: 'paused', plannedTrials: 5 });

    await repos.trials.ensure('sw_live', planned);
    await repos.trials.finish('sw_live-t0', {
      status: 'failed',
      objective: null,
      values: {},
      error: 'boom',
    });
    await repos.trials.reopen('sw_live-t0');
    expect(await repos.trials.get('sw_live-t0')).toMatchObject({
      status: 'pending',
      error: null,
      finishedAt: null,
    });
    await repos.trials.markRunning('sw_live-t0', { worker: 'w2', slot: 1, attempt: 1 });
    expect((await repos.trials.get('sw_live-t0'))!.status).toBe('running');

    await repos.sweeps.finish('sw_live', {
      status: 'completed',
      bestTrialId: null,
      bestValue: null,
    });
    await repos.sweeps.update('sw_live', { status: 'running' });
    expect((await repos.sweeps.get('sw_live'))!.status).toBe('completed');
    await expect(repos.trials.reopen('nope')).rejects.toThrow(RowNotFoundError);
  });

  it('keeps the best trial while a sweep runs, per the metric goal', async () => {
    await repos.sweeps.create({ id: 'sw_best', name: 'best', spec, plannedTrials: 3 });
    expect(await repos.sweeps.offerBest('sw_best', 'sw_best-t0', 0.7)).toBe(true);
    expect(await repos.sweeps.offerBest('sw_best', 'sw_best-t1', 0.6)).toBe(false);
    expect(await repos.sweeps.offerBest('sw_best', 'sw_best-t2', 0.8)).toBe(true);
    expect(await repos.sweeps.get('sw_best')).toMatchObject({
      bestTrialId: 'sw_best-t2',
      bestValue: 0.8,
    });
    const minimize = { ...spec, metric: { name: 'val_loss', goal: 'minimize' as const } };
    await repos.sweeps.create({ id: 'sw_min', name: 'min', spec: minimize, plannedTrials: 2 });
    await repos.sweeps.offerBest('sw_min', 'sw_min-t0', 0.3);
    expect(await repos.sweeps.offerBest('sw_min', 'sw_min-t1', 0.5)).toBe(false);
    expect((await repos.sweeps.get('sw_min'))!.bestValue).toBe(0.3);
  });

  it('registers base models by unique name', async () => {
    const model = {
      id: 'bm_1',
      name: 'mnist-0-4',
      path: '/m/model.json',
      inputShape: [null, 28, 28, 1],
      source: 'pretrain',
    };
    expect(await repos.baseModels.register(model)).toMatchObject({
      name: 'mnist-0-4',
      inputShape: [null, 28, 28, 1],
    });
    await expect(repos.baseModels.register({ ...model, id: 'bm_2' })).rejects.toThrow(
      /already registered/,
    );
    expect((await repos.baseModels.findByName('mnist-0-4'))!.path).toBe('/m/model.json');
    expect(await repos.baseModels.findByName('nope')).toBeNull();
    expect((await repos.baseModels.list()).map((m) => m.id)).toContain('bm_1');
    expect((await repos.baseModels.findByName('mnist-0-4'))!.meta).toBeNull();
  });

  it('stores a base model metadata (input size, preprocessing, cut layer)', async () => {
    const meta = {
      inputSize: [224, 224] as [number, number],
      channels: 3 as const,
      preprocessing: { kind: 'offset-scale' as const, offset: 127, scale: 128 },
      outputLayer: 'top_activation',
      classifierTop: true,
    };
    await repos.baseModels.register({
      id: 'bm_meta',
      name: 'effnet',
      path: '/e/model.json',
      inputShape: [null, 224, 224, 3],
      source: 'registered',
      meta,
    });
    expect((await repos.baseModels.findByName('effnet'))!.meta).toEqual(meta);
  });

  it('a finished sweep is not revived by a late markRunning', async () => {
    await repos.sweeps.markRunning('sw_rt');
    expect((await repos.sweeps.get('sw_rt'))!.status).toBe('cancelled');
  });

  it('names the missing record', async () => {
    await expect(repos.sweeps.markRunning('nope')).rejects.toThrow(RowNotFoundError);
    await expect(
      repos.trials.finish('nope-t0', { status: 'failed', objective: null, values: {} }),
    ).rejects.toThrow('trial nope-t0 not found');
    expect(await repos.sweeps.get('nope')).toBeNull();
    expect(await repos.sweeps.exists('sw_rt')).toBe(true);
  });

  it('refuses a duplicate sweep id without touching the stored one', async () => {
    await expect(
      repos.sweeps.create({ id: 'sw_rt', name: 'other', spec, plannedTrials: 1 }),
    ).rejects.toThrow();
    expect((await repos.sweeps.get('sw_rt'))!.name).toBe('round trip');
  });
});
