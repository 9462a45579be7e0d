import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SweepWorkflowInput } from '@retune/core';
import { createDb, createRepositories, type Db, type Repositories } from '@retune/db';
import { applyMigrations } from '@retune/db/migrations';
import type { AccessPolicy } from '../domain/access/access-policy';
import { SignInThrottle } from '../domain/auth/sign-in-throttle';
import { createCaller } from '../root';
import type { SweepGateway, SweepSignal } from '../temporal/sweep-gateway';
import type { SessionCookiePort, SessionUser, TRPCContext } from '../trpc';

export class FakeGateway implements SweepGateway {
  started: SweepWorkflowInput[] = [];
  cancelled: string[] = [];
  failWith: Error | null = null;
  async start(input: SweepWorkflowInput) {
    if (this.failWith) throw this.failWith;
    this.started.push(input);
    return { workflowId: `sweep-${input.sweepId}` };
  }
  async cancel(workflowId: string) {
    this.cancelled.push(workflowId);
  }
  signals: { workflowId: string; signal: SweepSignal; args: number[] }[] = [];
  async signal(workflowId: string, signal: SweepSignal, ...args: number[]) {
    this.signals.push({ workflowId, signal, args });
  }
}

export async function testApi(): Promise<{
  db: Db;
  repos: Repositories;
  temporal: FakeGateway;
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
      'cookies' | 'sessionToken' | 'clientAddress' | 'policy' | 'schedules'
    >,
  ) => ReturnType<typeof createCaller>;
}> {
  const dataRoot = mkdtempSync(join(tmpdir(), 'retune-api-'));
  const url = `file:${join(dataRoot, 'api.db')}`;
  await applyMigrations(url);
  const db = createDb(url);
  const repos = createRepositories(db);
  const temporal = new FakeGateway();
  // Sweeps' data paths must lie under this test's own folder; no host is allowlisted.
  const policy: AccessPolicy = { dataRoots: [dataRoot], allowedHosts: [] };
  const throttle = new SignInThrottle();
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
