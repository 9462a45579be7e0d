import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../domain/auth/sessions';
import { SignInThrottle } from '../domain/auth/sign-in-throttle';
import { createApiToken } from '../domain/auth/api-tokens';
import { createUser } from '../domain/auth/users';
import { appRouter } from '../root';
import { FakeCookies, testApi } from '../test-support/context';
import { seedFinishedSweep } from '../test-support/seed-sweep';

let api: Awaited<ReturnType<typeof testApi>>;
beforeAll(async () => {
  api = await testApi();
});
afterAll(async () => {
  await api.db.$disconnect();
});

describe('sign-in throttling', () => {
  it('locks an account after a few failures with "try again in N s", then recovers', () => {
    const throttle = new SignInThrottle();
    let now = 1_000_000;
    for (let i = 0; i < 5; i++) throttle.failed('ada@x.io', '10.0.0.1', now);
    throttle.check('ada@x.io', '10.0.0.1', now); // five failures are free
    throttle.failed('ada@x.io', '10.0.0.1', now);
    expect(() => throttle.check('ada@x.io', '10.0.0.1', now)).toThrow(/try again in 2 s/);
    now += 2_000;
    throttle.check('ada@x.io', '10.0.0.1', now);
    throttle.failed('ada@x.io', '10.0.0.1', now);
    // The delay grows with each further failure.
    expect(() => throttle.check('ada@x.io', null, now)).toThrow(/this account: try again in 4 s/);
    now += 4_000;
    throttle.check('ada@x.io', null, now);
    throttle.succeeded('ada@x.io');
    throttle.failed('ada@x.io', null, now);
    throttle.check('ada@x.io', null, now);
  });

  it('throttles one address trying many accounts', () => {
    const throttle = new SignInThrottle();
    for (let i = 0; i < 21; i++) throttle.failed(`user${i}@x.io`, '10.9.9.9', 0);
    expect(() => throttle.check('fresh@x.io', '10.9.9.9', 0)).toThrow(/this address/);
    throttle.check('fresh@x.io', '10.1.1.1', 0);
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
    const member = api.caller({ id: 'm9', email: 'm9@test', role: 'member' });
    const viewer = api.caller({ id: 'v9', email: 'v9@test', role: 'viewer' });
    const admin = api.caller({ id: 'a9', email: 'a9@test', role: 'admin' });
    const version = await member.model.registerTrial({ trialId: trialIds[0]! });
    await member.model.promote({ id: version.id, reason: 'rollback' });
    await expect(viewer.model.promote({ id: version.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      member.sweep.control({ id: 'aud', request: { action: 'pause' } }),
    ).rejects.toBeTruthy(); // a finished sweep: a failed attempt, still recorded
    const target = await createUser(api, { email: 'role@x.io', password: 'role-password' });
    await admin.user.setRole({ userId: 'role@x.io', role: 'viewer' });
    await expect(member.user.setRole({ userId: target.id, role: 'admin' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });

    const rows = (await admin.audit.list({ limit: 20 })).reverse();
    const summary = rows.map((r) => [r.action, r.outcome, r.actorEmail]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['model.registerTrial', 'ok', 'm9@test'],
        ['model.promote', 'ok', 'm9@test'],
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
