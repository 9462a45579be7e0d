import { describe, expect, it } from 'vitest';
import { lastOutcome } from './schedule';

describe('schedule rendering', () => {
  it('describes the last outcome with its signed delta', () => {
    const run = (status: 'kept' | 'skipped', delta: number | null) =>
      ({ status, delta }) as Parameters<typeof lastOutcome>[0]['runs'][number];
    expect(lastOutcome({ runs: [] })).toBeNull();
    expect(lastOutcome({ runs: [run('kept', -0.012)] })).toBe('kept −0.012');
    expect(lastOutcome({ runs: [run('skipped', null)] })).toBe('skipped');
  });
});
