import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../client';
import { applyMigrations } from '../migrations';
import { freshSqliteUrl } from '../test-support/databases';
import { createRepositories, type Repositories } from '.';
import { UserExistsError } from './user-repository';

let db: Db;
let repos: Repositories;
beforeAll(async () => {
  const url = freshSqliteUrl();
  await applyMigrations(url);
  db = createDb(url);
  repos = createRepositories(db);
});
afterAll(async () => {
  await db.$disconnect();
});

const user = (id: string, email: string) => ({
  id,
  email,
  passwordHash: `hash-${id}`,
  role: 'member' as const,
});

describe('users, sessions and API tokens', () => {
  it('stores users without ever returning the hash, except for sign-in', async () => {
    const created = await repos.users.create({ ...user('u_a', 'a@x'), role: 'admin' });
    expect(created).toEqual({
      id: 'u_a',
      email: 'a@x',
      name: null,
      role: 'admin',
      createdAt: expect.any(String),
    });
    expect(JSON.stringify(await repos.users.list())).not.toContain('hash-');
    expect(await repos.users.findCredentials('a@x')).toEqual({
      user: created,
      passwordHash: 'hash-u_a',
    });
    expect(await repos.users.findCredentials('nobody@x')).toBeNull();
    await expect(repos.users.create(user('u_other', 'a@x'))).rejects.toBeInstanceOf(
      UserExistsError,
    );
    expect(await repos.users.count()).toBe(1);
  });

  it('finds a session user by token hash until it expires', async () => {
    await repos.users.create(user('u_s', 's@x'));
    const now = new Date('2026-01-01T00:00:00Z');
    await repos.sessions.create({
      id: 'se_1',
      tokenHash: 'th1',
      userId: 'u_s',
      expiresAt: new Date(now.getTime() + 1000),
    });
    expect((await repos.sessions.findUser('th1', now))?.user.email).toBe('s@x');
    expect(await repos.sessions.findUser('th1', new Date(now.getTime() + 1000))).toBeNull();
    expect(await repos.sessions.findUser('unknown', now)).toBeNull();
    expect(await repos.sessions.deleteExpired(new Date(now.getTime() + 5000))).toBe(1);
    expect(await repos.sessions.findUser('th1', now)).toBeNull();
  });

  it('API tokens: listed without their hash, revocation stops lookups, uses are throttled', async () => {
    await repos.users.create(user('u_t', 't@x'));
    const tok = await repos.apiTokens.create({
      id: 'tk_1',
      name: 'laptop',
      prefix: 'rtk_abcd',
      tokenHash: 'secret-hash',
      userId: 'u_t',
    });
    expect(tok).toMatchObject({
      name: 'laptop',
      userEmail: 't@x',
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(JSON.stringify(await repos.apiTokens.list())).not.toContain('secret-hash');
    expect((await repos.apiTokens.findUser('secret-hash'))?.user.id).toBe('u_t');

    const t0 = new Date('2026-01-01T00:00:00Z');
    await repos.apiTokens.touch('tk_1', t0);
    await repos.apiTokens.touch('tk_1', new Date(t0.getTime() + 10_000)); // throttled
    expect((await repos.apiTokens.get('tk_1'))?.lastUsedAt).toBe(t0.toISOString());
    const t1 = new Date(t0.getTime() + 120_000);
    await repos.apiTokens.touch('tk_1', t1);
    expect((await repos.apiTokens.get('tk_1'))?.lastUsedAt).toBe(t1.toISOString());

    const revoked = await repos.apiTokens.revoke('tk_1', t1);
    expect(revoked?.revokedAt).toBe(t1.toISOString());
    expect(await repos.apiTokens.findUser('secret-hash')).toBeNull();
    // A second revoke keeps the first time.
    expect((await repos.apiTokens.revoke('tk_1', new Date()))?.revokedAt).toBe(t1.toISOString());
    expect(await repos.apiTokens.revoke('tk_missing', t1)).toBeNull();
    expect(await repos.apiTokens.list('u_a')).toEqual([]);
    expect((await repos.apiTokens.list('u_t')).map((t) => t.id)).toEqual(['tk_1']);
  });
});
