import { describe, expect, it } from 'vitest';
import { useTestApi } from '../../test-support/context';
import { verifyPassword } from './password';
import { ensureAdmin } from './users';

const api = useTestApi();

describe('ensureAdmin (first run)', () => {
  it('creates one admin with a generated password, then never again', async () => {
    const first = await ensureAdmin(api, { email: 'admin@localhost' });
    expect(first?.user).toMatchObject({ email: 'admin@localhost', role: 'admin' });
    const password = first!.generatedPassword!;
    expect(password).toHaveLength(24);
    const creds = await api.repos.users.findCredentials('admin@localhost');
    expect(creds!.passwordHash).not.toContain(password);
    expect(await verifyPassword(password, creds!.passwordHash)).toBe(true);
    expect(
      await ensureAdmin(api, { email: 'other@localhost', password: 'given-password' }),
    ).toBeNull();
    expect(await api.repos.users.count()).toBe(1);
  });
});
