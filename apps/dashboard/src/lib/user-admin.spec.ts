import { describe, expect, it } from 'vitest';
import { createUserProblem, grantProblem, grantsByUser, passwordChangeProblem } from './user-admin';

describe('user and account forms', () => {
  it('checks a new user before sending', () => {
    expect(createUserProblem({ email: 'nope', password: 'long-enough' })).toMatch(/not an email/);
    expect(createUserProblem({ email: 'a@b.io', password: 'short' })).toMatch(/at least 8/);
    expect(createUserProblem({ email: 'a@b.io', password: 'long-enough' })).toBeNull();
  });

  it('checks grant patterns and groups grants by user', () => {
    expect(grantProblem(' ')).toMatch(/name a task/);
    expect(grantProblem('a*b')).toMatch(/prefix ending in \*/);
    expect(grantProblem('digits-*')).toBeNull();
    const byUser = grantsByUser([
      { userId: 'u1', task: 'a' },
      { userId: 'u2', task: 'b' },
      { userId: 'u1', task: 'c' },
    ]);
    expect(byUser.get('u1')!.map((g) => g.task)).toEqual(['a', 'c']);
  });

  it('checks a password change: current given, new one twice, long enough, different', () => {
    const ok = { current: 'old-password', next: 'new-password', again: 'new-password' };
    expect(passwordChangeProblem(ok)).toBeNull();
    expect(passwordChangeProblem({ ...ok, current: '' })).toMatch(/current password/);
    expect(passwordChangeProblem({ ...ok, again: 'other' })).toMatch(/differ/);
    expect(passwordChangeProblem({ ...ok, next: 'short', again: 'short' })).toMatch(/at least 8/);
    expect(passwordChangeProblem({ ...ok, next: 'old-password', again: 'old-password' })).toMatch(
      /is the current one/,
    );
  });
});
