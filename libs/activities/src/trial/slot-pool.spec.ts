import { describe, expect, it } from 'vitest';
import { createSlotPool, NoFreeSlotError } from './slot-pool';

describe('slot pool', () => {
  it('gives each GPU to one trial at a time and hides GPUs on CPU hosts', () => {
    const pool = createSlotPool({ kind: 'gpu', gpus: [2, 5] });
    const a = pool.acquire();
    const b = pool.acquire();
    expect([a.env.CUDA_VISIBLE_DEVICES, b.env.CUDA_VISIBLE_DEVICES]).toEqual(['2', '5']);
    expect(a.env.TF_FORCE_GPU_ALLOW_GROWTH).toBe('true');
    expect(() => pool.acquire()).toThrow(NoFreeSlotError);
    a.release();
    a.release();
    expect(pool.inUse()).toBe(1);
    expect(pool.acquire().device).toEqual({ kind: 'gpu', index: 2 });
    const cpu = createSlotPool({ kind: 'cpu', slots: 1 }).acquire();
    expect(cpu.env.CUDA_VISIBLE_DEVICES).toBe('');
    expect(cpu.device).toEqual({ kind: 'cpu' });
  });

  it('makes a pipelined trial wait for a slot, first come first served, until cancelled', async () => {
    const pool = createSlotPool({ kind: 'cpu', slots: 1 });
    const held = pool.acquire();
    const cancelled = new AbortController();
    const first = pool.acquireWhenFree(new AbortController().signal);
    const gaveUp = pool.acquireWhenFree(cancelled.signal);
    const second = pool.acquireWhenFree(new AbortController().signal);
    cancelled.abort(new Error('cancelled while waiting'));
    await expect(gaveUp).rejects.toThrow('cancelled while waiting');
    const order: string[] = [];
    void first.then(() => order.push('first'));
    void second.then(() => order.push('second'));
    await Promise.resolve();
    expect(order).toEqual([]);
    held.release();
    (await first).release();
    (await second).release();
    expect(order).toEqual(['first', 'second']);
    expect(pool.inUse()).toBe(0);
    const aborted = new AbortController();
    aborted.abort(new Error('already cancelled'));
    await expect(pool.acquireWhenFree(aborted.signal)).rejects.toThrow('already cancelled');
  });
});
