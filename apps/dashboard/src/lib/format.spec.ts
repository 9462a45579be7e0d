import { describe, expect, it } from 'vitest';
import { elapsedMs, formatDuration, formatValue, isActive, statusTone } from './format';

describe('dashboard formatting', () => {
  it('formats params and metrics compactly', () => {
    expect(formatValue(0.0001)).toBe('1.00e-4');
    expect(formatValue(0.912345)).toBe('0.9123');
    expect(formatValue(4)).toBe('4');
    expect(formatValue('light')).toBe('light');
    expect(formatValue(null)).toBe('—');
  });

  it('formats durations and elapsed time', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(61_000)).toBe('1m 01s');
    expect(formatDuration(3_660_000)).toBe('1h 01m');
    expect(elapsedMs('2026-01-01T00:00:00Z', null, Date.parse('2026-01-01T00:00:05Z'))).toBe(5000);
    expect(elapsedMs('2026-01-01T00:00:00Z', '2026-01-01T00:00:02Z', 0)).toBe(2000);
    expect(elapsedMs(null, null, 0)).toBeNull();
  });

  it('maps statuses to tones and activity', () => {
    expect(statusTone('failed')).toBe('bad');
    expect(statusTone('cancelled')).toBe('muted');
    expect(isActive('queued')).toBe(true);
    expect(isActive('completed')).toBe(false);
  });
});
