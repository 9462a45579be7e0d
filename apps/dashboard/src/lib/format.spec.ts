import { describe, expect, it } from 'vitest';
import { elapsedMs, statusTone } from './format';

describe('dashboard formatting', () => {
  it('measures elapsed time to the end, or to now while running', () => {
    expect(elapsedMs('2026-01-01T00:00:00Z', null, Date.parse('2026-01-01T00:00:05Z'))).toBe(5000);
    expect(elapsedMs('2026-01-01T00:00:00Z', '2026-01-01T00:00:02Z', 0)).toBe(2000);
    expect(elapsedMs(null, null, 0)).toBeNull();
  });

  it('maps statuses to tones', () => {
    expect(statusTone('failed')).toBe('bad');
    expect(statusTone('cancelled')).toBe('muted');
  });
});
