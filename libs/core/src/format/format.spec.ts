import { describe, expect, it } from 'vitest';
import {
  formatDelta,
  formatDuration,
  formatInterval,
  formatNumber,
  formatScheduleTiming,
  formatTime,
  formatValue,
} from './format';

describe('formatting shared by the CLI and the dashboard', () => {
  it('formats params and metrics compactly', () => {
    expect(formatValue(0.0001)).toBe('1.00e-4');
    expect(formatValue(0.912345)).toBe('0.9123');
    expect(formatValue(4)).toBe('4');
    expect(formatValue('light')).toBe('light');
    expect(formatValue(null)).toBe('—');
    expect(formatNumber(0.00012345)).toBe('1.23e-4');
    expect(formatNumber(0.123456)).toBe('0.1235');
    expect(formatNumber(25_000_000.5)).toBe('2.50e+7');
    expect(formatNumber(undefined)).toBe('—');
  });

  it('formats durations with hours', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(4200)).toBe('4.2 s');
    expect(formatDuration(61_000)).toBe('1m 01s');
    expect(formatDuration(3_660_000)).toBe('1h 01m');
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(-1)).toBe('—');
  });

  it('labels intervals in the largest whole unit, and cron with its timezone', () => {
    expect(formatInterval(3600)).toBe('every 1 h');
    expect(formatInterval(172_800)).toBe('every 2 d');
    expect(formatInterval(120)).toBe('every 2 min');
    expect(formatScheduleTiming({ cron: null, intervalSeconds: 7200, timezone: 'UTC' })).toBe(
      'every 2 h',
    );
    expect(formatScheduleTiming({ cron: null, intervalSeconds: 90, timezone: 'UTC' })).toBe(
      'every 90 s',
    );
    expect(
      formatScheduleTiming({ cron: '0 3 * * *', intervalSeconds: null, timezone: 'Europe/Paris' }),
    ).toBe('cron 0 3 * * * (Europe/Paris)');
  });

  it('signs metric deltas', () => {
    expect(formatDelta(0.01234)).toBe('+0.0123');
    expect(formatDelta(-0.004)).toBe('−0.004');
    expect(formatDelta(0)).toBe('±0');
    expect(formatDelta(null)).toBe('—');
  });

  it('shows timestamps to the second', () => {
    expect(formatTime('2026-01-01T12:00:00.123Z')).toBe('2026-01-01 12:00:00');
    expect(formatTime(null)).toBe('—');
  });
});
