import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, createApiToken, createUser, FakeSweepGateway } from '@retune/api';
import { createDb, createRepositories, type Db } from '@retune/db';
import { applyMigrations } from '@retune/db/migrations';
import { createRequestContext, type Services } from './request-context';

/** The real /api/trpc handler over a throwaway database, as the route mounts it. */
let db: Db;
let services: Services;
beforeAll(async () => {
  const url = `file:${join(mkdtempSync(join(tmpdir(), 'retune-dash-')), 'db.db')}`;
  await applyMigrations(url);
  db = createDb(url);
  const temporal = new FakeSweepGateway({ refuse: 'no Temporal in this test' });
  services = { repos: createRepositories(db), temporal };
  await createUser(services, { email: 'op@x.io', password: 'op-password', role: 'admin' });
});
afterAll(async () => {
  await db.$disconnect();
});

function call(
  path: string,
  opts: { body?: unknown; post?: boolean; headers?: Record<string, string>; origin?: string } = {},
) {
  const origin = opts.origin ?? 'http://localhost:3000';
  const req =
    opts.body === undefined
      ? new Request(`${origin}/api/trpc/${path}`, {
          method: opts.post ? 'POST' : 'GET',
          headers: {
            ...(opts.post ? { 'content-type': 'application/json' } : {}),
            ...opts.headers,
          },
        })
      : new Request(`${origin}/api/trpc/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...opts.headers },
          body: JSON.stringify(opts.body),
        });
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: ({ req, resHeaders }) => createRequestContext(services, req, resHeaders),
  });
}

const cookieOf = (res: Response) => res.headers.getSetCookie().join('\n');
const sessionPair = (res: Response) => /retune_session=[^;]*/.exec(cookieOf(res))![0];

describe('/api/trpc authentication', () => {
  it('answers anonymous reads and writes with 401', async () => {
    expect((await call('sweep.list')).status).toBe(401);
    expect((await call('sweep.cancel', { body: { id: 'sw_x' } })).status).toBe(401);
    expect((await call('token.create', { body: { name: 'x' } })).status).toBe(401);
    expect(await db.apiToken.count()).toBe(0);
  });

  it('sign-in sets an HttpOnly, SameSite=Lax cookie that then authenticates; sign-out ends it', async () => {
    const wrong = await call('auth.signIn', { body: { email: 'op@x.io', password: 'nope-nope' } });
    expect(wrong.status).toBe(401);
    expect(cookieOf(wrong)).toBe('');

    const res = await call('auth.signIn', { body: { email: 'op@x.io', password: 'op-password' } });
    expect(res.status).toBe(200);
    const setCookie = cookieOf(res);
    expect(setCookie).toMatch(
      /^retune_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Expires=/,
    );
    expect(setCookie).not.toContain('Secure');
    expect(Number(/Max-Age=(\d+)/.exec(setCookie)![1])).toBeGreaterThan(29 * 24 * 3600);
    expect(JSON.stringify(await res.json())).not.toContain(sessionPair(res).split('=')[1]);

    const cookie = sessionPair(res);
    const me = await call('auth.me', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { result: { data: { email: string } } }).result.data.email).toBe(
      'op@x.io',
    );
    expect((await call('sweep.list', { headers: { cookie } })).status).toBe(200);

    const out = await call('auth.signOut', { post: true, headers: { cookie } });
    expect(out.status).toBe(200);
    expect(cookieOf(out)).toMatch(/^retune_session=; .*Max-Age=0/);
    const after = await call('auth.me', { headers: { cookie } });
    expect(after.status).toBe(401);
    // The stale cookie is cleared so the browser stops sending it.
    expect(cookieOf(after)).toMatch(/Max-Age=0/);
  });

  it('marks the cookie Secure over https (directly or behind a proxy)', async () => {
    const body = { email: 'op@x.io', password: 'op-password' };
    const direct = await call('auth.signIn', { body, origin: 'https://retune.example' });
    expect(cookieOf(direct)).toMatch(/; Secure/);
    const proxied = await call('auth.signIn', { body, headers: { 'x-forwarded-proto': 'https' } });
    expect(cookieOf(proxied)).toMatch(/; Secure/);
  });

  it('accepts an API token as a Bearer header until it is revoked', async () => {
    const user = (await services.repos.users.findByEmail('op@x.io'))!;
    const { token, apiToken } = await createApiToken(services, { userId: user.id, name: 'cli' });
    const authorization = `Bearer ${token}`;
    expect((await call('sweep.list', { headers: { authorization } })).status).toBe(200);
    const revoke = await call('token.revoke', {
      body: { id: apiToken.id },
      headers: { authorization },
    });
    expect(revoke.status).toBe(200);
    expect((await call('sweep.list', { headers: { authorization } })).status).toBe(401);
    expect(
      (await call('sweep.list', { headers: { authorization: 'Bearer rtk_forged' } })).status,
    ).toBe(401);
  });
});
