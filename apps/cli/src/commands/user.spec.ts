import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { authenticate } from '@retune/api';
import { applyMigrations } from '@retune/db/migrations';
import { exitCodeFor } from '../errors';
import { createCliContext, type CliContext } from './context';
import { readAll, type PasswordSource } from './password-input';
import { tokenCreateCommand, tokenListCommand, tokenRevokeCommand } from './token';
import { userCreateCommand, userListCommand } from './user';
import { userGrantCommand, userGrantsCommand, userRevokeGrantCommand } from './user-grants';

let ctx: CliContext;
beforeAll(async () => {
  const url = `file:${join(mkdtempSync(join(tmpdir(), 'retune-cli-')), 'cli.db')}`;
  await applyMigrations(url);
  // Temporal is lazy: these commands never connect to it.
  ctx = createCliContext({
    DATABASE_URL: url,
    TEMPORAL_ADDRESS: '127.0.0.1:1',
    TEMPORAL_NAMESPACE: 'default',
  });
});
afterAll(async () => {
  await ctx.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs a command and returns what it printed on stdout and stderr. */
async function capture(fn: () => Promise<number>) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const code = await fn();
  vi.restoreAllMocks();
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const source = (answers: Partial<PasswordSource> & { stdin?: string }): PasswordSource => ({
  fromStdin: async () => answers.stdin ?? '',
  prompt: answers.prompt ?? (async () => ''),
  interactive: answers.interactive ?? false,
});

describe('retune user', () => {
  it('creates users from stdin or a confirmed prompt, and lists them without hashes', async () => {
    const created = await capture(() =>
      userCreateCommand(
        ctx,
        { email: 'Admin@Example.com', passwordStdin: true, admin: true },
        source({ stdin: 'stdin-password' }),
      ),
    );
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/^created admin admin@example\.com \(usr_[0-9a-f]+\)$/);
    const creds = await ctx.repos.users.findCredentials('admin@example.com');
    expect(creds!.passwordHash).toMatch(/^scrypt\$/);
    expect(creds!.passwordHash).not.toContain('stdin-password');

    const answers = ['typed-password', 'typed-password'];
    await capture(() =>
      userCreateCommand(
        ctx,
        { email: 'dev@example.com' },
        source({ interactive: true, prompt: async () => answers.shift()! }),
      ),
    );
    expect((await ctx.repos.users.findByEmail('dev@example.com'))?.role).toBe('member');

    const listed = await capture(() => userListCommand(ctx));
    expect(listed.out).toMatch(/admin@example\.com\s+admin/);
    expect(listed.out).toMatch(/dev@example\.com\s+member/);
    expect(listed.out).not.toContain('scrypt');
  });

  it('refuses mismatched prompts, a missing terminal, short passwords and duplicates', async () => {
    const answers = ['one-password', 'another-password'];
    const refusals = [
      userCreateCommand(
        ctx,
        { email: 'x@example.com' },
        source({ interactive: true, prompt: async () => answers.shift()! }),
      ),
      userCreateCommand(ctx, { email: 'x@example.com' }, source({ interactive: false })),
      userCreateCommand(
        ctx,
        { email: 'x@example.com', passwordStdin: true },
        source({ stdin: 'short' }),
      ),
      userCreateCommand(
        ctx,
        { email: 'ADMIN@example.com', passwordStdin: true },
        source({ stdin: 'long enough' }),
      ),
    ];
    const codes = [];
    for (const p of refusals)
      codes.push(
        exitCodeFor(
          await p.then(
            () => null,
            (e: unknown) => e,
          ),
        ).code,
      );
    expect(codes).toEqual([2, 2, 2, 1]);
    expect(await ctx.repos.users.findByEmail('x@example.com')).toBeNull();
  });

  it('reads a piped password without its trailing newline', async () => {
    expect(await readAll(Readable.from(['pass', 'word\n']))).toBe('password');
  });
});

describe('retune token', () => {
  it('prints a new token once, lists it by prefix, and revoking it stops it working', async () => {
    const created = await capture(() =>
      tokenCreateCommand(ctx, { email: 'dev@example.com', name: 'laptop' }),
    );
    expect(created.code).toBe(0);
    const token = created.out.trim();
    expect(token).toMatch(/^rtk_[A-Za-z0-9_-]{43}$/);
    expect(created.err).toMatch(/shown only this once/);
    expect((await authenticate(ctx.deps, { bearer: token }))?.user.email).toBe('dev@example.com');

    const listed = await capture(() => tokenListCommand(ctx));
    expect(listed.out).toContain(`${token.slice(0, 10)}…`);
    expect(listed.out).not.toContain(token);
    expect(listed.out).toMatch(/laptop .*dev@example\.com/);
    const id = /^(tok_[0-9a-f]+)/m.exec(listed.out)![1]!;

    const revoked = await capture(() => tokenRevokeCommand(ctx, id));
    expect(revoked.out).toContain(`revoked API token ${id} "laptop"`);
    expect(await authenticate(ctx.deps, { bearer: token })).toBeNull();
    expect(
      exitCodeFor(await tokenRevokeCommand(ctx, 'tok_missing').catch((e: unknown) => e)).code,
    ).toBe(1);
  });

  it('refuses a token for an unknown user', async () => {
    const err = await tokenCreateCommand(ctx, { email: 'ghost@example.com', name: 'x' }).catch(
      (e: unknown) => e,
    );
    expect(exitCodeFor(err)).toEqual({
      code: 1,
      message: 'no user with the email ghost@example.com',
    });
  });
});

describe('retune user grant', () => {
  it('grants, lists and revokes promotion rights, audited; refuses viewers and bad patterns', async () => {
    await capture(() =>
      userCreateCommand(
        ctx,
        { email: 'grantee@example.com', passwordStdin: true },
        source({ stdin: 'grantee-password' }),
      ),
    );
    const granted = await capture(() => userGrantCommand(ctx, 'grantee@example.com', 'digits-*'));
    expect(granted.out).toBe('grantee@example.com may promote models of digits-*');
    const listed = await capture(() => userGrantsCommand(ctx, 'grantee@example.com'));
    expect(listed.out).toMatch(/grantee@example\.com\s+digits-\*\s+cli/);
    await expect(userGrantCommand(ctx, 'grantee@example.com', 'a*b')).rejects.toThrow(
      /prefix ending in \*/,
    );
    await capture(() => userRevokeGrantCommand(ctx, 'grantee@example.com', 'digits-*'));
    expect(await ctx.repos.promotionGrants.list()).toEqual([]);
    const [row] = await ctx.repos.audit.list({ limit: 1 });
    expect(row).toMatchObject({ action: 'user.revokePromotion', outcome: 'ok', via: 'local' });
  });
});
