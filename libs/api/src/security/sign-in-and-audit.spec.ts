import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDb, createRepositories } from '@retune/db';
import { authenticate } from '../domain/auth/sessions';
import { SignInThrottle } from '../domain/auth/sign-in-throttle';
import { createApiToken } from '../domain/auth/api-tokens';
import { createUser } from '../domain/auth/users';
import { appRouter } from '../root';
import { FakeCookies, useTestApi } from '../test-support/context';
import { seedFinishedSweep } from '../test-support/seed-sweep';

const api = useTestApi();

describe('sign-in throttling', () => {
  it('locks an account after a few failures with "try again in N s", then recovers', async () => {
    const throttle = new SignInThrottle(api.repos.signInFailures);
    let now = 1_000_000;
    for (let i = 0; i < 5; i++) await throttle.failed('ada@x.io', '10.0.0.1', now);
    await throttle.check('ada@x.io', '10.0.0.1', now); // five failures are free
    await throttle.failed('ada@x.io', '10.0.0.1', now);
    await expect(throttle.check('ada@x.io', '10.0.0.1', now)).rejects.toThrow(/try again in 2 s/);
    now += 2_000;
    await throttle.check('ada@x.io', '10.0.0.1', now);
    await throttle.failed('ada@x.io', '10.0.0.1', now);
    // The delay grows with each further failure.
    await expect(throttle.check('ada@x.io', null, now)).rejects.toThrow(
      /this account: try again in 4 s/,
    );
    now += 4_000;
    await throttle.check('ada@x.io', null, now);
    await throttle.succeeded('ada@x.io', now);
    await throttle.failed('ada@x.io', null, now);
    await throttle.check('ada@x.io', null, now);
  });

  it('throttles one address trying many accounts', async () => {
    const throttle = new SignInThrottle(api.repos.signInFailures);
    for (let i = 0; i < 21; i++) await throttle.failed(`user${i}@x.io`, '10.9.9.9', 0);
    await expect(throttle.check('fresh@x.io', '10.9.9.9', 0)).rejects.toThrow(/this address/);
    await throttle.check('fresh@x.io', '10.1.1.1', 0);
  });

  it('forgets failures an hour old, and sweeps them on a later sign-in', async () => {
    const throttle = new SignInThrottle(api.repos.signInFailures);
    for (let i = 0; i < 6; i++) await throttle.failed('old@x.io', null, 0);
    await expect(throttle.check('old@x.io', null, 0)).rejects.toThrow(/try again/);
    const hourLater = 60 * 60_000 + 5_000;
    await throttle.failed('old@x.io', null, hourLater); // counts from 1 again: free
    await throttle.check('old@x.io', null, hourLater);
    await throttle.succeeded('someone@x.io', 3 * 60 * 60_000);
    expect(await api.repos.signInFailures.get('account:old@x.io')).toBeNull();
  });

  it('two API processes sharing one database share the counts', async () => {
    // A second, independent client of the same database: another dashboard process.
    const otherDb = createDb(`file:${join(api.dataRoot, 'api.db')}`);
    try {
      // A lock long enough that a loaded machine cannot outlast it mid-test.
      const rules = { freeFailures: 5, firstDelayMs: 10 * 60_000, maxDelayMs: 10 * 60_000 };
      const one = new SignInThrottle(api.repos.signInFailures, rules, rules);
      const other = new SignInThrottle(createRepositories(otherDb).signInFailures, rules, rules);
      await createUser(api, { email: 'two@x.io', password: 'right-password' });
      const signIn = (throttle: SignInThrottle, password: string) =>
        api
          .caller(null, { cookies: new FakeCookies(), clientAddress: '10.0.0.7', throttle })
          .auth.signIn({ email: 'two@x.io', password });
      // Failures alternate between the two processes; the sixth locks the account for both.
      for (let i = 0; i < 6; i++) {
        await expect(signIn(i % 2 ? other : one, 'wrong')).rejects.toMatchObject({
          code: 'UNAUTHORIZED',
        });
      }
      for (const throttle of [one, other]) {
        await expect(signIn(throttle, 'right-password')).rejects.toMatchObject({
          code: 'TOO_MANY_REQUESTS',
          message: expect.stringMatching(/this account: try again in \d+ s/),
        });
      }
      // A restart (a fresh throttle over the same rows) is still locked.
      await expect(
        signIn(new SignInThrottle(api.repos.signInFailures, rules, rules), 'right-password'),
      ).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    } finally {
      await otherDb.$disconnect();
    }
  });

  it('refuses sign-in through tRPC while locked, even with the right password', async () => {
    await createUser(api, { email: 'grace@x.io', password: 'right-password' });
    const caller = () =>
      api.caller(null, { cookies: new FakeCookies(), clientAddress: '10.0.0.2' });
    for (let i = 0; i < 6; i++) {
      await expect(
        caller().auth.signIn({ email: 'grace@x.io', password: 'wrong' }),
      ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
    await expect(
      caller().auth.signIn({ email: 'grace@x.io', password: 'right-password' }),
    ).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      message: expect.stringMatching(/try again in \d+ s/),
    });
  });
});

describe('passwords', () => {
  it('a password change checks length and ends every session of the user', async () => {
    const user = await createUser(api, { email: 'lin@x.io', password: 'first-password' });
    const cookies = [new FakeCookies(), new FakeCookies()];
    for (const c of cookies) {
      await api
        .caller(null, { cookies: c })
        .auth.signIn({ email: 'lin@x.io', password: 'first-password' });
    }
    const me = api.caller(user, { cookies: cookies[0]!, sessionToken: cookies[0]!.token });
    await expect(
      me.auth.changePassword({ currentPassword: 'first-password', newPassword: 'short' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/at least 8/) });
    await expect(
      me.auth.changePassword({ currentPassword: 'wrong', newPassword: 'second-password' }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(
      await me.auth.changePassword({
        currentPassword: 'first-password',
        newPassword: 'second-password',
      }),
    ).toEqual({ sessionsEnded: 2 });
    for (const c of cookies) expect(await authenticate(api, { sessionToken: c.token })).toBeNull();
  });
});

describe('audit log', () => {
  it('records launches, controls, promotions, schedules and role changes, refusals included', async () => {
    const { trialIds } = await seedFinishedSweep(api.repos, { id: 'aud', trials: 2, epochs: 2 });
    const m9 = await createUser(api, { email: 'm9@test', password: 'member-password' });
    const member = api.caller({ id: m9.id, email: 'm9@test', role: 'member' });
    const viewer = api.caller({ id: 'v9', email: 'v9@test', role: 'viewer' });
    const admin = api.caller({ id: 'a9', email: 'a9@test', role: 'admin' });
    const version = await member.model.registerTrial({ trialId: trialIds[0]! });
    // A member promotes only within the tasks an admin granted.
    await expect(member.model.promote({ id: version.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/retune user grant m9@test demo:mnist-5-9/),
    });
    await admin.user.grantPromotion({ userId: 'm9@test', task: 'demo:*' });
    await member.model.promote({ id: version.id, reason: 'rollback' });
    await admin.user.revokePromotion({ userId: 'm9@test', task: 'demo:*' });
    await expect(viewer.model.promote({ id: version.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      member.sweep.control({ id: 'aud', request: { action: 'pause' } }),
    ).rejects.toBeTruthy(); // a finished sweep: a failed attempt, still recorded
    const created = await admin.user.create({ email: 'new@x.io', password: 'secret-password' });
    expect(created).toMatchObject({ email: 'new@x.io', role: 'member' });
    const [createdRow] = await api.repos.audit.list({ limit: 1 });
    expect(createdRow).toMatchObject({ action: 'user.create', outcome: 'ok', target: created.id });
    expect(JSON.stringify(createdRow)).not.toContain('secret-password');
    const target = await createUser(api, { email: 'role@x.io', password: 'role-password' });
    await admin.user.setRole({ userId: 'role@x.io', role: 'viewer' });
    await expect(member.user.setRole({ userId: target.id, role: 'admin' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });

    const rows = (await admin.audit.list({ limit: 30 })).reverse();
    const summary = rows.map((r) => [r.action, r.outcome, r.actorEmail]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['model.registerTrial', 'ok', 'm9@test'],
        ['model.promote', 'refused', 'm9@test'],
        ['user.grantPromotion', 'ok', 'a9@test'],
        ['model.promote', 'ok', 'm9@test'],
        ['user.revokePromotion', 'ok', 'a9@test'],
        ['model.promote', 'refused', 'v9@test'],
        ['sweep.pause', 'failed', 'm9@test'],
        ['user.setRole', 'ok', 'a9@test'],
        ['user.setRole', 'refused', 'm9@test'],
      ]),
    );
    expect(rows.find((r) => r.action === 'user.setRole' && r.outcome === 'ok')).toMatchObject({
      target: target.id,
      detail: expect.stringContaining('"role":"viewer"'),
    });
    // Nobody but an admin reads it, and no procedure writes or deletes it.
    await expect(member.audit.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const auditProcedures = Object.keys(appRouter._def.procedures).filter((p) =>
      p.startsWith('audit.'),
    );
    expect(auditProcedures).toEqual(['audit.list']);
  });

  it('names the token an action came through, and a read-only token changes nothing', async () => {
    const user = await createUser(api, { email: 'tok@x.io', password: 'token-password' });
    const { token } = await createApiToken(api, { userId: user.id, name: 'ci', scope: 'read' });
    const auth = await authenticate(api, { bearer: token });
    expect(auth?.via).toMatchObject({ kind: 'api-token', readOnly: true });
    const caller = api.caller({
      id: user.id,
      email: user.email,
      role: user.role,
      tokenId: (auth!.via as { tokenId: string }).tokenId,
      readOnly: true,
    });
    await expect(caller.sweep.cancel({ id: 'aud' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/read-only/),
    });
    const [row] = await api.repos.audit.list({ limit: 1 });
    expect(row).toMatchObject({ action: 'sweep.cancel', outcome: 'refused' });
    expect(row!.via).toMatch(/^api-token:tok_/);
  });
});
