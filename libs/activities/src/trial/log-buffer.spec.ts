import { describe, expect, it } from 'vitest';
import { TrialLogBuffer, type TrialLogEntry } from './log-buffer';

describe('TrialLogBuffer', () => {
  it('writes in batches and on flush, in order', async () => {
    const writes: TrialLogEntry[][] = [];
    const buf = new TrialLogBuffer(
      async (l) => void writes.push(l),
      () => {},
      100,
      2,
    );
    buf.add('info', 'a');
    buf.add('info', 'b');
    buf.add('stderr', 'c');
    await buf.flush();
    expect(writes.map((w) => w.map((l) => l.line))).toEqual([['a', 'b'], ['c']]);
  });

  it('caps lines per attempt and says how many it dropped', async () => {
    const lines: TrialLogEntry[] = [];
    const buf = new TrialLogBuffer(
      async (l) => void lines.push(...l),
      () => {},
      3,
      10,
    );
    for (let i = 0; i < 10; i++) buf.add('info', `line ${i}`);
    buf.add('info', 'x'.repeat(5000));
    await buf.flush();
    expect(lines.map((l) => l.line)).toEqual([
      'line 0',
      'line 1',
      'line 2',
      '8 more log lines were not kept (limit 3 per attempt)',
    ]);
  });

  it('reports a failed write and keeps going', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const ok: string[] = [];
    const buf = new TrialLogBuffer(
      async (l) => {
        if (fail) throw new Error('db down');
        ok.push(...l.map((x) => x.line));
      },
      (e) => errors.push(e),
      100,
      1,
    );
    buf.add('info', 'lost');
    await buf.flush();
    fail = false;
    buf.add('info', 'kept');
    await buf.flush();
    expect(errors).toHaveLength(1);
    expect(ok).toEqual(['kept']);
  });
});
