import { RowNotFoundError } from '@retune/db';
import { describe, expect, it } from 'vitest';
import { untilDbAnswers } from './db-retry';

const fast = { initialDelayMs: 1, maxDelayMs: 2 };

describe('untilDbAnswers', () => {
  it('retries through an outage, calling onWait before each wait', async () => {
    let calls = 0;
    const waits: number[] = [];
    const value = await untilDbAnswers(
      async () => {
        if (++calls < 4) throw new Error('ECONNREFUSED');
        return 'ok';
      },
      { signal: new AbortController().signal, onWait: (_e, n) => waits.push(n), ...fast },
    );
    expect(value).toBe('ok');
    expect(waits).toEqual([1, 2, 3]);
  });

  it('rethrows a missing row at once: that is an answer, not an outage', async () => {
    let calls = 0;
    await expect(
      untilDbAnswers(
        async () => {
          calls++;
          throw new RowNotFoundError('trial', 't1');
        },
        { signal: new AbortController().signal, ...fast },
      ),
    ).rejects.toBeInstanceOf(RowNotFoundError);
    expect(calls).toBe(1);
  });

  it('gives up with the last error once the trial is cancelled', async () => {
    const abort = new AbortController();
    let calls = 0;
    await expect(
      untilDbAnswers(
        async () => {
          if (++calls === 3) abort.abort();
          throw new Error(`down ${calls}`);
        },
        { signal: abort.signal, ...fast },
      ),
    ).rejects.toThrow('down 3');
  });
});
