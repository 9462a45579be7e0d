import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRetrainScheduleSpec } from '@retune/core';
import { createDb, type Db } from '../client';
import { applyMigrations } from '../migrations';
import { freshPostgresDatabase, freshSqliteUrl } from '../test-support/databases';
import { createRepositories, type Repositories } from './index';

/** PostgreSQL server for tests (CI sets it); SQLite always runs. */
const postgresUrl = process.env.RETUNE_TEST_POSTGRES_URL;

const scheduleSpec = parseRetrainScheduleSpec({
  name: 'nightly digits',
  task: 'digits',
  intervalSeconds: 3600,
  promoteMargin: 0.01,
  spec: {
    name: 'digits',
    dataset: '/data/digits',
    baseModel: 'demo:cnn',
    algorithm: 'grid',
    trainer: { name: 'synthetic' },
    searchSpace: { headLr: { type: 'choice', values: [0.01, 0.1] } },
  },
});

const backends = [
  { name: 'SQLite', setup: async () => ({ url: freshSqliteUrl(), cleanup: async () => {} }) },
  ...(postgresUrl
    ? [
        {
          name: 'PostgreSQL',
          setup: async () => {
            const { url, drop } = await freshPostgresDatabase(postgresUrl);
            return { url, cleanup: drop };
          },
        },
      ]
    : []),
];

describe.each(backends)('retrain repositories on $name', (backend) => {
  let db: Db;
  let repos: Repositories;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const { url, cleanup: c } = await backend.setup();
    cleanup = c;
    await applyMigrations(url);
    db = createDb(url);
    repos = createRepositories(db);
  }, 60_000);
  afterAll(async () => {
    await db?.$disconnect();
    await cleanup?.();
  });

  it('stores, edits, pauses and deletes a schedule', async () => {
    const created = await repos.schedules.create({
      id: 'rs1',
      temporalScheduleId: 'retrain-rs1',
      spec: scheduleSpec,
    });
    expect(created).toMatchObject({
      name: 'nightly digits',
      intervalSeconds: 3600,
      cron: null,
      overlapPolicy: 'skip',
      promoteMargin: 0.01,
      paused: false,
    });
    expect(created.spec).toMatchObject({ dataset: '/data/digits' });
    const edited = await repos.schedules.update('rs1', {
      ...scheduleSpec,
      cron: '0 3 * * *',
      intervalSeconds: undefined,
    });
    expect(edited).toMatchObject({ cron: '0 3 * * *', intervalSeconds: null });
    expect((await repos.schedules.setPaused('rs1', true)).paused).toBe(true);
    expect((await repos.schedules.findByName('nightly digits'))?.id).toBe('rs1');
    expect(await repos.schedules.list()).toHaveLength(1);
  });

  it('finds the last settled snapshot hash, ignoring failed runs and the run asking', async () => {
    const run1 = await repos.retrainRuns.start({
      id: 'rr1',
      scheduleId: 'rs1',
      workflowId: 'wf-1',
      forced: false,
    });
    // A retried start activity returns the same row.
    expect(
      (
        await repos.retrainRuns.start({
          id: 'other',
          scheduleId: 'rs1',
          workflowId: 'wf-1',
          forced: true,
        })
      ).id,
    ).toBe(run1.id);
    await repos.datasetSnapshots.record({
      id: 'snap1',
      dataset: 'd',
      fileCount: 3,
      contentHash: 'h1',
    });
    await repos.retrainRuns.finish('rr1', {
      status: 'kept',
      reason: 'no gain',
      snapshotId: 'snap1',
    });

    await repos.retrainRuns.start({
      id: 'rr2',
      scheduleId: 'rs1',
      workflowId: 'wf-2',
      forced: false,
    });
    await repos.datasetSnapshots.record({
      id: 'snap2',
      dataset: 'd',
      fileCount: 4,
      contentHash: 'h2',
    });
    await repos.retrainRuns.finish('rr2', {
      status: 'failed',
      reason: 'boom',
      snapshotId: 'snap2',
    });

    await repos.retrainRuns.start({
      id: 'rr3',
      scheduleId: 'rs1',
      workflowId: 'wf-3',
      forced: false,
    });
    expect(await repos.retrainRuns.lastSettledHash('rs1', 'rr3')).toBe('h1');
    expect(await repos.retrainRuns.lastSettledHash('rs1', 'rr1')).toBeNull();
    const runs = await repos.retrainRuns.listBySchedule('rs1');
    expect(runs.map((r) => r.status).sort()).toEqual(['failed', 'kept', 'running']);
  });

  it('numbers versions per task and keeps exactly one champion, with history', async () => {
    const base = {
      task: 'digits',
      artifact: '/a',
      metricName: 'val_acc',
      metrics: { val_acc: 0.9 },
      params: { headLr: 0.01 },
      baseModel: 'demo:cnn',
      dataset: '/data/digits',
    };
    const v1 = await repos.modelVersions.register({ ...base, id: 'mv1', metricValue: 0.9 });
    const v2 = await repos.modelVersions.register({
      ...base,
      id: 'mv2',
      metricValue: 0.95,
      retrainRunId: 'rr1',
    });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(
      (await repos.modelVersions.register({ ...base, id: 'mv2', metricValue: 0 })).version,
    ).toBe(2);
    await repos.modelVersions.register({ ...base, task: 'other', id: 'mo1', metricValue: 0.5 });

    expect(
      await repos.modelVersions.promote('mv1', { changeId: 'c1', reason: 'first' }),
    ).toMatchObject({
      changed: true,
      previousVersionId: null,
    });
    await repos.modelVersions.promote('mo1', { changeId: 'c2', reason: 'other task' });
    const second = await repos.modelVersions.promote('mv2', { changeId: 'c3', reason: 'better' });
    expect(second).toMatchObject({ changed: true, previousVersionId: 'mv1' });
    // Promoting the champion again records nothing.
    expect(
      (await repos.modelVersions.promote('mv2', { changeId: 'c4', reason: 'again' }))?.changed,
    ).toBe(false);
    expect(
      await repos.modelVersions.promote('missing', { changeId: 'c5', reason: 'x' }),
    ).toBeNull();

    const digits = await repos.modelVersions.list({ task: 'digits' });
    expect(digits.filter((v) => v.isChampion).map((v) => v.id)).toEqual(['mv2']);
    expect((await repos.modelVersions.champion('other'))?.id).toBe('mo1');
    const history = await repos.modelVersions.championHistory({ task: 'digits' });
    expect(history.map((h) => [h.modelVersionId, h.previousVersionId, h.reason])).toEqual([
      ['mv2', 'mv1', 'better'],
      ['mv1', null, 'first'],
    ]);
  });

  it('deleting a schedule deletes its runs', async () => {
    expect(await repos.schedules.delete('rs1')).toBe(true);
    expect(await repos.schedules.delete('rs1')).toBe(false);
    expect(await repos.retrainRuns.listBySchedule('rs1')).toEqual([]);
    // A run still going when its schedule was deleted has nothing left to record.
    expect(await repos.retrainRuns.finish('rr3', { status: 'failed', reason: 'x' })).toBe(false);
  });
});
