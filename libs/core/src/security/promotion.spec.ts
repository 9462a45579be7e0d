import { describe, expect, it } from 'vitest';
import { grantCovers, grantPatternRefusal, mayPromote, promoteRefusal } from './promotion';

describe('promotion rights', () => {
  it('a grant covers its task, a prefix* its family, * everything', () => {
    expect(grantCovers('digits', 'digits')).toBe(true);
    expect(grantCovers('digits', 'digits-5-9')).toBe(false);
    expect(grantCovers('digits-*', 'digits-5-9')).toBe(true);
    expect(grantCovers('digits-*', 'faces')).toBe(false);
    expect(grantCovers('*', 'faces')).toBe(true);
  });

  it('admins promote anywhere, members within grants, viewers never', () => {
    expect(mayPromote('admin', [], 'faces')).toBe(true);
    expect(mayPromote('member', [], 'faces')).toBe(false);
    expect(mayPromote('member', ['faces'], 'faces')).toBe(true);
    expect(mayPromote('viewer', ['*'], 'faces')).toBe(false);
  });

  it('refuses malformed patterns and names the fix', () => {
    expect(grantPatternRefusal('a*b')).toMatch(/prefix ending in \*/);
    expect(grantPatternRefusal('')).not.toBeNull();
    expect(grantPatternRefusal('digits-*')).toBeNull();
    expect(promoteRefusal('m@x', 'member', 'faces')).toMatch(/retune user grant m@x faces/);
  });
});
