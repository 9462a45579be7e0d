import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appRouter,
  authenticate,
  bearerToken,
  sessionUserOf,
  paretoOf,
  createApiToken,
  createUser,
  revokeApiToken,
  type SweepGateway,
} from '@retune/api';
import type { SweepWorkflowInput } from '@retune/core';
import { createDb, createRepositories, type Db, type Repositories } from '@retune/db';
import { applyMigrations } from '@retune/db/migrations';
import { CliError } from '../errors';
import { remoteSweepClient } from './sweep-client';

let db: Db;
let repos: Repositories;
let token: string;
let tokenId: string;
const started: SweepWorkflowInput[] = [];
const signals: string[] = [];

const temporal: SweepGateway = {
  async start(input) {
    started.push(input);
    return { workflowId: `sweep-${input.sweepId}` };
  },
  async cancel() {},
  async signal(_workflowId, signal) {
    signals.push(signal);
  },
};

/** The API as the dashboard serves it, reached through fetch without opening a port. */
const apiFetch: typeof fetch = async (input, init) =>
  fetchRequestHandler({
    endpoint: '/api/trpc',
    req: new Request(input as string, init),
    router: appRouter,
    createContext: async ({ req }) => {
      const auth = await authenticate(
        { repos },
        { bearer: bearerToken(req.headers.get('authorization')) },
      );
      return {
        repos,
        temporal,
        user: auth && sessionUserOf(auth),
      };
    },
  });

beforeAll(async () => {
  const url = `file:${join(mkdtempSync(join(tmpdir(), 'retune-cli-remote-')), 'db.sqlite')}`;
  await applyMigrations(url);
  db = createDb(url);
  repos = createRepositories(db);
  const user = await createUser(
    { repos },
    { email: 'ops@example.com', password: 'a long password' },
  );
  ({
    token,
    apiToken: { id: tokenId },
  } = await createApiToken({ repos }, { userId: user.id, name: 'ci' }));
});

afterAll(async () => {
  await db?.$disconnect();
});

const spec = {
  name: 'remote',
  dataset: 'demo:mnist-5-9',
  baseModel: 'demo:scratch',
  trainer: { name: 'synthetic' },
  algorithm: 'random',
  maxTrials: 3,
  searchSpace: { headLr: { type: 'loguniform', min: 1e-4, max: 1 } },
};

describe('remoteSweepClient', () => {
  it('launches, lists, shows and controls sweeps through the API with a token', async () => {
    const client = remoteSweepClient('http://retune.test/', token, apiFetch);
    const sweep = await client.launch(spec);
    expect(started.map((s) => s.sweepId)).toEqual([sweep.id]);
    expect((await client.list()).map((s) => s.id)).toContain(sweep.id);
    const detail = await client.get(sweep.id);
    expect(detail).toMatchObject({ id: sweep.id, name: 'remote', plannedTrials: 3 });
    expect(paretoOf(detail).objectives).toEqual([{ name: 'val_acc', goal: 'maximize' }]);
    await client.control(sweep.id, { action: 'pause' });
    expect(signals).toEqual(['pause']);
    const used = await repos.apiTokens.list();
    expect(used.find((t) => t.id === tokenId)?.lastUsedAt).not.toBeNull();
  });

  it('names the field of a bad spec and the missing sweep, with usage exit codes', async () => {
    const client = remoteSweepClient('http://retune.test', token, apiFetch);
    await expect(client.launch({ ...spec, maxTrials: 0 })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/maxTrials/),
    });
    await expect(client.get('nope')).rejects.toMatchObject({ exitCode: 2 });
  });

  it('a revoked or wrong token is refused with a hint, and launches nothing', async () => {
    const before = started.length;
    const wrong = remoteSweepClient('http://retune.test', 'rtk_wrong', apiFetch);
    const err = await wrong.launch(spec).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).message).toMatch(/refused RETUNE_API_TOKEN.*retune token create/);
    await revokeApiToken({ repos }, 'local-operator', tokenId);
    await expect(remoteSweepClient('http://retune.test', token, apiFetch).list()).rejects.toThrow(
      /refused/,
    );
    expect(started.length).toBe(before);
  });

  it("respects the token's role and scope: a viewer's or a read-only token launches nothing", async () => {
    const viewer = await createUser(
      { repos },
      { email: 'viewer@example.com', password: 'a long password', role: 'viewer' },
    );
    const member = await createUser(
      { repos },
      { email: 'reader@example.com', password: 'a long password' },
    );
    const before = started.length;
    for (const [userId, scope, message] of [
      [viewer.id, 'full', /needs the member role and viewer@example\.com is a viewer/],
      [member.id, 'read', /read-only/],
    ] as const) {
      const { token: t } = await createApiToken({ repos }, { userId, name: 'x', scope });
      const client = remoteSweepClient('http://retune.test', t, apiFetch);
      await expect(client.launch(spec)).rejects.toMatchObject({
        exitCode: 1,
        message: expect.stringMatching(message),
      });
      await expect(client.list()).resolves.toBeInstanceOf(Array);
    }
    expect(started.length).toBe(before);
  });

  it('says which URL it could not reach', async () => {
    const down: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    await expect(remoteSweepClient('http://nowhere:1', token, down).list()).rejects.toThrow(
      /cannot reach the Retune API at http:\/\/nowhere:1\/api\/trpc: fetch failed/,
    );
  });
});
