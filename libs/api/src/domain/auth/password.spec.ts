import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, verifyPassword } from './password';
import { bearerToken } from './sessions';

describe('password hashing (scrypt)', () => {
  it('stores parameters, salt and key — not the password — and verifies only the right one', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).not.toContain('correct horse');
    expect(hash).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash, and verifies with the parameters stored in the hash', async () => {
    const a = await hashPassword('same password');
    const b = await hashPassword('same password');
    expect(a).not.toBe(b);
    const cheap = await hashPassword('same password', { log2N: 10, r: 8, p: 1 });
    expect(cheap.startsWith('scrypt$10$8$1$')).toBe(true);
    expect(await verifyPassword('same password', cheap)).toBe(true);
  });

  it('treats malformed or absurd stored hashes as a mismatch, never an error', async () => {
    const good = await hashPassword('pw pw pw pw');
    for (const bad of [
      '',
      'pw pw pw pw',
      good.replace('scrypt', 'bcrypt'),
      good.replace('$15$', '$30$'), // would need gigabytes
      good.split('$').slice(0, 5).join('$'),
    ]) {
      expect(await verifyPassword('pw pw pw pw', bad)).toBe(false);
    }
  });

  it('generates strong one-time passwords', () => {
    const a = generatePassword();
    expect(a).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(generatePassword()).not.toBe(a);
  });

  it('reads only well-formed Bearer headers', () => {
    expect(bearerToken('Bearer rtk_abc')).toBe('rtk_abc');
    expect(bearerToken('bearer  rtk_abc ')).toBe('rtk_abc');
    expect(bearerToken('Basic Zm9v')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
