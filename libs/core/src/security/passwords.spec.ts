import { describe, expect, it } from 'vitest';
import { newPasswordProblem } from './passwords';

describe('new passwords', () => {
  it('need 8 characters and the same text twice', () => {
    expect(newPasswordProblem('short')).toBe('password: at least 8 characters');
    expect(newPasswordProblem('long-enough', 'long-enougH')).toBe('the two new passwords differ');
    expect(newPasswordProblem('long-enough', 'long-enough')).toBeNull();
  });
});
