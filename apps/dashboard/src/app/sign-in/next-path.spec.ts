import { describe, expect, it } from 'vitest';
import { safeNextPath } from './next-path';

describe('safeNextPath', () => {
  it('keeps local paths and refuses anything that leaves the site', () => {
    expect(safeNextPath('/sweeps/sw_1?x=1')).toBe('/sweeps/sw_1?x=1');
    expect(safeNextPath(['/a', '/b'])).toBe('/a');
    for (const bad of [
      undefined,
      '',
      'https://evil.example',
      '//evil.example',
      '/\\evil',
      '/sign-in',
    ]) {
      expect(safeNextPath(bad)).toBe('/');
    }
  });
});
