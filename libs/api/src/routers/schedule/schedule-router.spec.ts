import { TRPCError } from '@trpc/server';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCaller } from '../../root';
import { testApi } from '../../test-support/context';
import { FakeScheduleGateway } from '../../temporal/schedule-gateway.fake';

const schedule = {
  name: 'nightly digits',
  task: 'digits',
  intervalSeconds: 3600,
  overlapPolicy: 'buffer-one',
  promoteMargin: 0.01,
  spec: {
    name: 'digits',
    dataset: 'demo:digits',
    baseModel: 'demo:cnn',
    algorithm: 'grid',
    trainer: { name: 'synthetic' },
    searchSpace: { headLr: { type: 'choice', values: [0.01, 0.1] } },
  },
};

async function setup() {
  const api = await testApi();
  const gateway = new FakeScheduleGateway();
  const user = { id: 'u1', email: 'u1@test', role: 'member' as const };
  // A member who may promote every task: schedules promote on their own (docs/security.md).
  await api.repos.users.create({ ...user, name: null, passwordHash: 'x' });
  await api.repos.promotionGrants.grant({ userId: 'u1', task: '*', grantedBy: 'test' });
  const caller = createCaller({
    repos: api.repos,
    temporal: api.temporal,
    user,
    schedules: gateway,
    policy: api.policy,
  });
  const admin = createCaller({
    repos: api.repos,
    temporal: api.temporal,
    user: { ...user, role: 'admin' },
    schedules: gateway,
    policy: api.policy,
  });
  const anonymous = createCaller({
    repos: api.repos,
    temporal: api.temporal,
    user: null,
    schedules: gateway,
  });
  return { ...api, gateway, caller, admin, anonymous };
}

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof TRPCError ? e.code : String(e)),
  );

describe('schedule router', () => {
  let t: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    t = await setup();
  });

  it('creates a schedule and its Temporal Schedule, and lists it with next runs', async () => {
    const created = await t.caller.schedule.create({ schedule });
    expect(created).toMatchObject({
      name: 'nightly digits',
      overlapPolicy: 'buffer-one',
      paused: false,
    });
    expect(t.gateway.calls).toEqual([`create ${created.temporalScheduleId}`]);
    const [listed] = await t.caller.schedule.list();
    expect(listed).toMatchObject({
      id: created.id,
      nextRunTimes: ['2030-01-01T03:00:00.000Z'],
      runs: [],
    });
    expect(await codeOf(t.caller.schedule.create({ schedule }))).toBe('CONFLICT');
  });

  it('refuses a bad schedule with one issue per field, before storing anything', async () => {
    const err = await t.caller.schedule
      .create({
        schedule: { ...schedule, cron: '0 3 * * *', spec: { ...schedule.spec, algorithm: 'nope' } },
      })
      .catch((e: TRPCError) => e);
    expect((err as TRPCError).code).toBe('BAD_REQUEST');
    expect((err as TRPCError).message).toMatch(/spec.algorithm/);
    expect(await t.repos.schedules.list()).toEqual([]);
    expect(t.gateway.calls).toEqual([]);
  });

  it('undoes the row when Temporal refuses the schedule', async () => {
    t.gateway.failWith = new Error('connection refused');
    expect(await codeOf(t.caller.schedule.create({ schedule }))).toBe('SERVICE_UNAVAILABLE');
    expect(await t.repos.schedules.list()).toEqual([]);
  });

  it('edits, pauses, resumes, triggers and deletes by name or id', async () => {
    const s = await t.caller.schedule.create({ schedule });
    const edited = await t.caller.schedule.update({
      ref: s.name,
      schedule: {
        ...schedule,
        intervalSeconds: undefined,
        cron: '0 3 * * *',
        timezone: 'Europe/Paris',
      },
    });
    expect(edited).toMatchObject({
      cron: '0 3 * * *',
      intervalSeconds: null,
      timezone: 'Europe/Paris',
    });
    expect(t.gateway.schedules.get(s.temporalScheduleId)?.cron).toBe('0 3 * * *');

    expect((await t.caller.schedule.pause({ ref: s.id })).paused).toBe(true);
    expect((await t.caller.schedule.get({ ref: s.id })).nextRunTimes).toEqual([]);
    // An edit that does not mention `paused` keeps the schedule paused.
    expect((await t.caller.schedule.update({ ref: s.id, schedule })).paused).toBe(true);
    expect((await t.caller.schedule.resume({ ref: s.name })).paused).toBe(false);

    expect(await t.caller.schedule.trigger({ ref: s.name })).toEqual({
      id: s.id,
      workflowId: null,
    });
    expect((await t.caller.schedule.trigger({ ref: s.name, force: true })).workflowId).toMatch(
      /manual/,
    );
    expect(t.gateway.triggered).toEqual([
      { id: s.id, force: false },
      { id: s.id, force: true },
    ]);

    // Deleting a schedule (and its run history) is for admins.
    expect(await codeOf(t.caller.schedule.remove({ ref: s.name }))).toBe('FORBIDDEN');
    expect(await t.admin.schedule.remove({ ref: s.name })).toEqual({ id: s.id });
    expect(t.gateway.schedules.size).toBe(0);
    expect(await codeOf(t.caller.schedule.get({ ref: s.id }))).toBe('NOT_FOUND');
  });

  it('shows runs with their outcome and metric delta', async () => {
    const s = await t.caller.schedule.create({ schedule });
    await t.repos.retrainRuns.start({
      id: 'rr1',
      scheduleId: s.id,
      workflowId: 'wf1',
      forced: false,
    });
    await t.repos.retrainRuns.finish('rr1', {
      status: 'kept',
      reason: 'not better',
      candidateMetric: 0.88,
      championMetric: 0.9,
    });
    const [run] = (await t.caller.schedule.get({ ref: s.id })).runs;
    expect(run).toMatchObject({ status: 'kept', reason: 'not better' });
    expect(run!.delta).toBeCloseTo(-0.02);
  });

  it('needs a signed-in user', async () => {
    expect(await codeOf(t.anonymous.schedule.list())).toBe('UNAUTHORIZED');
    expect(await codeOf(t.anonymous.schedule.create({ schedule }))).toBe('UNAUTHORIZED');
  });
});

describe('model router', () => {
  it('lists versions, promotes by hand with history, and builds a model card', async () => {
    const t = await setup();
    const base = {
      task: 'digits',
      artifact: '/models/a',
      metricName: 'val_acc',
      metrics: { val_acc: 0.9 },
      params: { headLr: 0.01 },
      baseModel: 'demo:cnn',
      dataset: 'demo:digits',
    };
    await t.repos.datasetSnapshots.record({
      id: 'ds1',
      dataset: 'demo:digits',
      fileCount: 3,
      contentHash: 'abc',
    });
    await t.repos.modelVersions.register({
      ...base,
      id: 'mv1',
      metricValue: 0.9,
      snapshotId: 'ds1',
    });
    await t.repos.modelVersions.register({ ...base, id: 'mv2', metricValue: 0.92 });
    await t.caller.model.promote({ id: 'mv2' });
    await t.caller.model.promote({ id: 'mv1', reason: 'rollback' });

    const versions = await t.caller.model.list({ task: 'digits' });
    expect(versions.map((v) => [v.id, v.version, v.isChampion])).toEqual([
      ['mv2', 2, false],
      ['mv1', 1, true],
    ]);
    const history = await t.caller.model.history({ task: 'digits' });
    expect(history.map((h) => [h.modelVersionId, h.previousVersionId, h.reason])).toEqual([
      ['mv1', 'mv2', 'rollback'],
      ['mv2', null, 'promoted by hand by u1@test'],
    ]);
    const card = await t.caller.model.card({ id: 'mv1' });
    expect(card).toMatchObject({
      task: 'digits',
      version: 1,
      champion: true,
      lineage: { datasetSnapshot: { id: 'ds1', contentHash: 'abc' }, baseModel: 'demo:cnn' },
    });
    expect(await codeOf(t.caller.model.promote({ id: 'nope' }))).toBe('NOT_FOUND');
  });
});
