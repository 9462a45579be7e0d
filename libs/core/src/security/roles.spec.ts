import { describe, expect, it } from 'vitest';
import { can, isRole, roleAllows } from './roles';

describe('roles', () => {
  it('orders viewer < member < admin', () => {
    expect(roleAllows('admin', 'member')).toBe(true);
    expect(roleAllows('member', 'member')).toBe(true);
    expect(roleAllows('viewer', 'member')).toBe(false);
    expect(roleAllows('member', 'admin')).toBe(false);
  });

  it('lets read-only tokens do nothing', () => {
    expect(can('member', 'sweep.launch')).toBe(true);
    expect(can('member', 'sweep.launch', true)).toBe(false);
    expect(can('member', 'trainer.register')).toBe(false);
  });

  it('knows the stored role names only', () => {
    expect(isRole('member')).toBe(true);
    expect(isRole('user')).toBe(false);
  });
});
