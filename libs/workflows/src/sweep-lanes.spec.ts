import { describe, expect, it } from 'vitest';
import type { PlannedTrial } from '@retune/core';
import { SlotLanes } from './sweep-lanes';

const t = (number: number): PlannedTrial => ({ trialId: `s-t${number}`, number, params: {} });

describe('SlotLanes', () => {
  it('fills empty lanes first, then one trial behind each, and promotes it when the head ends', () => {
    const lanes = new SlotLanes(2);
    expect(lanes.capacity).toBe(4);
    expect([0, 1, 2, 3].map((n) => lanes.place(t(n)))).toEqual([
      undefined,
      undefined,
      's-t0',
      's-t1',
    ]);
    expect(lanes.training).toBe(2);
    expect(() => lanes.place(t(4))).toThrow(/all 2 lanes are full/);
    expect(lanes.since(2)).toBeUndefined(); // waiting, not training
    lanes.remove(0);
    expect(lanes.training).toBe(2);
    expect(lanes.since(2)).toBeDefined();
    // Trial 2 now heads lane 0: the next one waits for it.
    expect(lanes.place(t(4))).toBe('s-t2');
  });

  it('frees only the waiting place when a waiting trial ends first (cancelled while waiting)', () => {
    const lanes = new SlotLanes(1);
    lanes.place(t(0));
    lanes.place(t(1));
    lanes.remove(1);
    expect(lanes.training).toBe(1);
    expect(lanes.place(t(2))).toBe('s-t0');
    lanes.remove(0);
    lanes.remove(2);
    expect(lanes.training).toBe(0);
    expect(lanes.place(t(3))).toBeUndefined();
  });
});
