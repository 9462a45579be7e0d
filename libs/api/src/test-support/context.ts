import { afterAll, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, createRepositories, type Db, type Repositories } from '@retune/db';
import { applyMigrations } from '@retune/db/migrations';
import type { AccessPolicy } from '../domain/access/access-policy';
import { SignInThrottle } from '../domain/auth/sign-in-throttle';
import { createCaller } from '../root';
import { FakeSweepGateway } from '../temporal/fake-sweep-gateway';
import type { SessionCookiePort, SessionUser, TRPCContext } from '../trpc';

export async function testApi(): Promise<{
  db: Db;
  repos: Repositories;
  temporal: FakeSweepGateway;
  /** The one data root of this API (a fresh temporary folder). */
  dataRoot: string;
  policy: AccessPolicy;
  throttle: SignInThrottle;
  /**
   * A caller as `user` (default: a user "u1" that need not exist in the DB); null is anonymous.
   * `extra` adds what the HTTP edge would: the cookie port and the request's session token.
   */
  caller: (
    user?: (Partial<SessionUser> & { id: string }) | null,
    extra?: Pick<
      TRPCContext,
      'cookies' | 'sessionToken' | 'clientAddress' | 'policy' | 'schedules' | 'throttle'
    >,
  ) => ReturnType<typeof createCaller>;
}> {
  const dataRoot = mkdtempSync(join(tmpdir(), 'retune-api-'));
  const url = `file:${join(dataRoot, 'api.db')}`;
  await applyMigrations(url);
  const db = createDb(url);
  const repos = createRepositories(db);
  const temporal = new FakeSweepGateway();
  // Sweeps' data paths must lie under this test's own folder; no host is allowlisted.
  const policy: AccessPolicy = { dataRoots: [dataRoot], allowedHosts: [] };
  const throttle = new SignInThrottle(repos.signInFailures);
  return {
    dataRoot,
    policy,
    throttle,
    db,
    repos,
    temporal,
    caller: (user = { id: 'u1' }, extra = {}) =>
      createCaller({
        repos,
        temporal,
        user: user && { email: `${user.id}@test`, role: 'member', ...user },
        policy,
        throttle,
        ...extra,
      }),
  };
}

/** A cookie jar standing in for the browser: what sign-in set, sign-out cleared. */
export class FakeCookies implements SessionCookiePort {
  token: string | null = null;
  expiresAt: Date | null = null;
  set(token: string, expiresAt: Date) {
    this.token = token;
    this.expiresAt = expiresAt;
  }
  clear() {
    this.token = null;
    this.expiresAt = null;
  }
}

export type TestApi = Awaited<ReturnType<typeof testApi>>;

/**
 * One test API for the whole file: filled in by a beforeAll registered here (so it runs before
 * the file's own beforeAll hooks), its database closed afterwards.
 */
export function useTestApi(): TestApi {
  const api = {} as TestApi;
  beforeAll(async () => {
    Object.assign(api, await testApi());
  });
  afterAll(async () => {
    await api.db.$disconnect();
  });
  return api;
}
