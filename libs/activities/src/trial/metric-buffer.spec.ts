import { describe, expect, it } from 'vitest';
import { MetricBuffer, type MetricPointInput } from './metric-buffer';

const point = (epoch: number): MetricPointInput => ({ epoch, step: epoch, name: 'loss', value: 1 });

/** A writer that fails while `down` is true and records what it stored. */
function flakyWriter() {
  const stored: MetricPointInput[] = [];
  const state = { down: false };
  const write = async (points: MetricPointInput[]) => {
    if (state.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    stored.push(...points);
  };
  return { stored, state, write };
}

describe('MetricBuffer', () => {
  it('writes again after a failed flush, keeping every point in order', async () => {
    const w = flakyWriter();
    const buffer = new MetricBuffer(w.write, 1000, 60_000);
    await buffer.add([point(0)]);
    w.state.down = true;
    await expect(buffer.flush()).rejects.toThrow(/ECONNREFUSED/);
    await buffer.add([point(1)]);
    w.state.down = false;
    // Before the fix the rejected chain made every later flush fail with the old error.
    await buffer.flush();
    expect(w.stored.map((p) => p.epoch)).toEqual([0, 1]);
    expect(buffer.pending).toBe(0);
  });

  it('with onWriteError, add() survives an outage and the points follow later', async () => {
    const w = flakyWriter();
    const errors: unknown[] = [];
    const buffer = new MetricBuffer(w.write, 1, 0, (err) => errors.push(err));
    w.state.down = true;
    await buffer.add([point(0)]);
    await buffer.add([point(1)]);
    expect(errors.length).toBeGreaterThan(0);
    expect(buffer.pending).toBe(2);
    w.state.down = false;
    await buffer.add([point(2)]);
    expect(w.stored.map((p) => p.epoch)).toEqual([0, 1, 2]);
  });

  it('without onWriteError, add() still throws the write error', async () => {
    const w = flakyWriter();
    w.state.down = true;
    const buffer = new MetricBuffer(w.write, 1, 0);
    await expect(buffer.add([point(0)])).rejects.toThrow(/ECONNREFUSED/);
  });
});
