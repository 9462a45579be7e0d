import { describe, expect, it } from 'vitest';
import { authenticate } from '../../domain/auth/sessions';
import { createUser } from '../../domain/auth/users';
import { appRouter } from '../../root';
import { FakeCookies, useTestApi } from '../../test-support/context';
import { trpcError } from '../../test-support/trpc-errors';

const api = useTestApi();

/** Row counts of every table a procedure could write, and every Temporal call made. */
async function snapshot() {
  const { db, temporal } = api;
  return {
    sweeps: await db.sweep.count(),
    trials: await db.trial.count(),
    users: await db.user.count(),
    sessions: await db.session.count(),
    apiTokens: await db.apiToken.count(),
    revoked: await db.apiToken.count({ where: { revokedAt: { not: null } } }),
    temporal: temporal.started.length + temporal.cancelled.length + temporal.signals.length,
  };
}

/** The one procedure an anonymous request may call. */
const PUBLIC = new Set(['auth.signIn']);

describe('auth', () => {
  it('every procedure but auth.signIn is UNAUTHORIZED for anonymous callers and changes nothing', async () => {
    const owner = await createUser(api, { email: 'owner@x.io', password: 'owner-password' });
    const { token } = await api.caller(owner).token.create({ name: 'target' });
    const before = await snapshot();
    const paths = Object.keys(appRouter._def.procedures);
    expect(paths).toEqual(
      expect.arrayContaining([
        'sweep.launch',
        'sweep.cancel',
        'sweep.control',
        'token.revoke',
        'auth.me',
      ]),
    );
    const anonymous = api.caller(null, { cookies: new FakeCookies() }) as unknown as Record<
      string,
      Record<string, (input: unknown) => Promise<unknown>>
    >;
    // Inputs that would succeed for a signed-in caller, so only the missing sign-in stops them.
    const inputs: Record<string, unknown> = {
      'token.revoke': { id: (await api.repos.apiTokens.list())[0]!.id },
      'token.create': { name: 'sneaky' },
    };
    for (const path of paths.filter((p) => !PUBLIC.has(p))) {
      const [area, name] = path.split('.') as [string, string];
      const err = await trpcError(anonymous[area]![name]!(inputs[path] ?? {}));
      expect(err.code, path).toBe('UNAUTHORIZED');
    }
    expect(await snapshot()).toEqual(before);
    expect(await authenticate(api, { bearer: token })).not.toBeNull();
  });

  it('sign-in: a wrong password or unknown email is UNAUTHORIZED; the right one sets a session cookie', async () => {
    await createUser(api, { email: 'Ada@Example.com', password: 'correct horse' });
    const cookies = new FakeCookies();
    const anon = api.caller(null, { cookies });
    const sessions = await api.db.session.count();
    for (const creds of [
      { email: 'ada@example.com', password: 'wrong horse' },
      { email: 'nobody@example.com', password: 'correct horse' },
    ]) {
      const err = await trpcError(anon.auth.signIn(creds));
      expect(err.code).toBe('UNAUTHORIZED');
      expect(err.message).toBe('wrong email or password');
    }
    expect(cookies.token).toBeNull();
    expect(await api.db.session.count()).toBe(sessions);

    const { user, expiresAt } = await anon.auth.signIn({
      email: 'ADA@example.com ',
      password: 'correct horse',
    });
    expect(user.email).toBe('ada@example.com');
    expect(cookies.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Date(expiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 24 * 3600_000);
    // Only the token's hash is stored.
    const stored = await api.db.session.findMany({ where: { userId: user.id } });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).not.toContain(cookies.token);

    const session = await authenticate(api, { sessionToken: cookies.token });
    expect(session?.user.id).toBe(user.id);
    const signedIn = api.caller(session!.user, { cookies, sessionToken: cookies.token });
    expect(await signedIn.auth.me()).toEqual({
      id: user.id,
      email: 'ada@example.com',
      role: 'member',
      readOnly: false,
    });

    const token = cookies.token!;
    await signedIn.auth.signOut();
    expect(cookies.token).toBeNull();
    expect(await authenticate(api, { sessionToken: token })).toBeNull();
  });

  it('sign-in without a cookie port (an in-process caller) is refused and stores no session', async () => {
    const sessions = await api.db.session.count();
    const err = await trpcError(
      api.caller(null).auth.signIn({ email: 'ada@example.com', password: 'correct horse' }),
    );
    expect(err.code).toBe('BAD_REQUEST');
    expect(await api.db.session.count()).toBe(sessions);
  });

  it('API tokens: shown once, listed without the secret, work as bearer tokens until revoked', async () => {
    const alice = await createUser(api, { email: 'alice@x.io', password: 'alice-password' });
    const bob = await createUser(api, { email: 'bob@x.io', password: 'bob-password' });
    const { token, apiToken } = await api.caller(alice).token.create({ name: 'laptop' });
    expect(token).toMatch(/^rtk_[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith(apiToken.prefix)).toBe(true);
    const listed = await api.caller(alice).token.list();
    expect(listed.map((t) => t.id)).toEqual([apiToken.id]);
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(listed[0]!.lastUsedAt).toBeNull();

    const who = await authenticate(api, { bearer: token });
    expect(who).toMatchObject({ user: { email: 'alice@x.io' }, via: { kind: 'api-token' } });
    expect((await api.caller(alice).token.list())[0]!.lastUsedAt).not.toBeNull();
    expect(await authenticate(api, { bearer: token.slice(0, -1) + 'x' })).toBeNull();

    // Bob neither sees nor revokes Alice's token.
    expect(await api.caller(bob).token.list()).toEqual([]);
    expect((await trpcError(api.caller(bob).token.revoke({ id: apiToken.id }))).code).toBe(
      'NOT_FOUND',
    );
    expect(await authenticate(api, { bearer: token })).not.toBeNull();

    const revoked = await api.caller(alice).token.revoke({ id: apiToken.id });
    expect(revoked.revokedAt).not.toBeNull();
    expect(await authenticate(api, { bearer: token })).toBeNull();
  });

  it('an admin sees and revokes everyone’s tokens', async () => {
    const carol = await createUser(api, { email: 'carol@x.io', password: 'carol-password' });
    const root = await createUser(api, {
      email: 'root@x.io',
      password: 'root-password',
      role: 'admin',
    });
    const { token, apiToken } = await api.caller(carol).token.create({ name: 'ci' });
    expect((await api.caller(root).token.list()).map((t) => t.id)).toContain(apiToken.id);
    await api.caller(root).token.revoke({ id: apiToken.id });
    expect(await authenticate(api, { bearer: token })).toBeNull();
  });

  it('creating a user twice (any case) is CONFLICT; short passwords are refused', async () => {
    await createUser(api, { email: 'dup@x.io', password: 'long enough' });
    await expect(
      createUser(api, { email: 'DUP@x.io', password: 'long enough' }),
    ).rejects.toMatchObject({ kind: 'conflict' });
    await expect(createUser(api, { email: 'short@x.io', password: 'short' })).rejects.toMatchObject(
      { kind: 'invalid-input' },
    );
    await expect(
      createUser(api, { email: 'not-an-email', password: 'long enough' }),
    ).rejects.toMatchObject({ kind: 'invalid-input' });
  });
});
