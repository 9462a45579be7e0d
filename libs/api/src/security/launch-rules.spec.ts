import { mkdirSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeScheduleGateway } from '../temporal/schedule-gateway.fake';
import { useTestApi } from '../test-support/context';

const api = useTestApi();
let server: Server;
let hits = 0;
let port = 0;
beforeAll(async () => {
  // Any request reaching this server is a fetch the rules should have stopped.
  server = createServer((_req, res) => {
    hits++;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server?.close();
  await api.db.$disconnect();
});

const spec = (over: Record<string, unknown> = {}) => ({
  name: 'probe',
  dataset: 'demo:mnist-5-9',
  baseModel: 'demo:scratch',
  trainer: { name: 'synthetic' },
  algorithm: 'grid',
  searchSpace: { headLr: { type: 'choice', values: [0.1] } },
  ...over,
});

const member = () => api.caller({ id: 'm1', email: 'member@test', role: 'member' });
const admin = () => api.caller({ id: 'a1', email: 'admin@test', role: 'admin' });

async function refusal(p: Promise<unknown>): Promise<TRPCError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TRPCError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('trainers at launch', () => {
  it("refuses a member's raw command, says how to register one, stores nothing, audits it", async () => {
    const before = await api.db.sweep.count();
    const err = await refusal(
      member().sweep.launch({ spec: spec({ trainer: { command: ['sh', '-c', 'id'] } }) }),
    );
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toMatch(/only admins .*retune trainer register my-trainer -- sh -c id/);
    expect(await api.db.sweep.count()).toBe(before);
    expect(api.temporal.started).toHaveLength(0);
    const [row] = await api.repos.audit.list({ limit: 1 });
    expect(row).toMatchObject({
      action: 'sweep.launch',
      outcome: 'refused',
      actorEmail: 'member@test',
      via: 'session',
      target: 'probe',
    });
  });

  it("accepts an admin's raw command", async () => {
    const sweep = await admin().sweep.launch({
      spec: spec({ trainer: { command: ['python3', 'train.py'] } }),
    });
    expect(sweep.status).toBe('queued');
    const [row] = await api.repos.audit.list({ limit: 1 });
    expect(row).toMatchObject({ action: 'sweep.launch', outcome: 'ok', target: sweep.id });
  });

  it('lets a member launch a trainer an admin registered, and names unknown ones', async () => {
    await admin().trainer.register({ name: 'pytorch', command: ['python3', 'train.py'] });
    await expect(
      member().sweep.launch({ spec: spec({ trainer: { name: 'pytorch' } }) }),
    ).resolves.toMatchObject({ status: 'queued' });
    const err = await refusal(member().sweep.launch({ spec: spec({ trainer: { name: 'jax' } }) }));
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.message).toMatch(/unknown trainer "jax".*tfjs, synthetic; registered: pytorch/);
    expect((await member().trainer.list()).registered.map((t) => t.name)).toEqual(['pytorch']);
    // Reuse is declared at registration (serve mode); the default stays a process per trial.
    const served = await admin().trainer.register({
      name: 'served',
      command: ['node', 'serve.mjs'],
      reusable: true,
    });
    expect(served.reusable).toBe(true);
    const listed = (await member().trainer.list()).registered;
    expect(listed.map((t) => [t.name, t.reusable])).toEqual([
      ['pytorch', false],
      ['served', true],
    ]);
    const refused = await refusal(member().trainer.register({ name: 'mine', command: ['sh'] }));
    expect(refused.code).toBe('FORBIDDEN');
    const [row] = await api.repos.audit.list({ limit: 1, action: 'trainer.register' });
    expect(row).toMatchObject({ outcome: 'refused', target: 'mine' });
  });
});

describe('data paths', () => {
  it('accepts paths under a data root and refuses .., outside paths and symlinks out', async () => {
    const inside = join(api.dataRoot, 'digits');
    mkdirSync(inside, { recursive: true });
    await expect(member().sweep.launch({ spec: spec({ dataset: inside }) })).resolves.toBeTruthy();

    const outside = mkdtempOutside();
    symlinkSync(outside, join(api.dataRoot, 'escape'));
    const cases: [string, RegExp][] = [
      [`${api.dataRoot}/../x`, /contains "\.\."/],
      ['/etc', /outside the data roots .*RETUNE_DATA_ROOTS/],
      [join(api.dataRoot, 'escape'), /through a symlink/],
    ];
    for (const [dataset, message] of cases) {
      const before = await api.db.sweep.count();
      const err = await refusal(member().sweep.launch({ spec: spec({ dataset }) }));
      expect(err.code, dataset).toBe('FORBIDDEN');
      expect(err.message, dataset).toMatch(message);
      expect(await api.db.sweep.count()).toBe(before);
    }
    const err = await refusal(member().sweep.launch({ spec: spec({ baseModel: '/etc/passwd' }) }));
    expect(err.message).toMatch(/^baseModel: .*outside the data roots/);
    const viaFileUrl = await refusal(
      member().sweep.launch({ spec: spec({ baseModel: 'file:///etc/model.json' }) }),
    );
    expect(viaFileUrl.message).toMatch(/^baseModel: "\/etc\/model.json" is outside/);
    // Built-in names (demo:…, imagenet:…) are resolved by the trainer, not read as paths.
    await expect(
      member().sweep.launch({ spec: spec({ baseModel: 'imagenet:efficientnet-lite0@128' }) }),
    ).resolves.toBeTruthy();
  });
});

function mkdtempOutside(): string {
  const dir = join(tmpdir(), `retune-outside-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('fetched URLs', () => {
  it('refuses loopback, metadata, private and http URLs without fetching them', async () => {
    const urls = [
      `https://127.0.0.1:${port}/model.json`,
      `http://127.0.0.1:${port}/model.json`,
      'https://169.254.169.254/latest/meta-data/',
      'https://10.1.2.3/model.json',
      `https://[::1]:${port}/model.json`,
      'http://example.com/model.json',
      'ftp://example.com/model.json',
    ];
    for (const baseModel of urls) {
      const err = await refusal(member().sweep.launch({ spec: spec({ baseModel }) }));
      expect(err.code, baseModel).toBe('FORBIDDEN');
      expect(err.message, baseModel).toMatch(/RETUNE_ALLOWED_HOSTS/);
    }
    const schedule = {
      name: 'nightly',
      task: 't',
      intervalSeconds: 3600,
      spec: spec(),
      webhookUrl: `http://127.0.0.1:${port}/hook`,
    };
    const scheduler = api.caller(
      { id: 'm1', role: 'member' },
      { schedules: new FakeScheduleGateway() },
    );
    const err = await refusal(scheduler.schedule.create({ schedule }));
    expect(err.message).toMatch(/^webhookUrl: /);
    expect(hits).toBe(0);
  });

  it('lets an allowlisted host through', async () => {
    const policy = { ...api.policy, allowedHosts: ['127.0.0.1'] };
    const caller = api.caller({ id: 'm1', role: 'member' }, { policy });
    await expect(
      caller.sweep.launch({ spec: spec({ baseModel: `http://127.0.0.1:${port}/m.json` }) }),
    ).resolves.toBeTruthy();
  });
});
