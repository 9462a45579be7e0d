import { describe, expect, it } from 'vitest';
import { mapLimit } from './map-limit';

describe('mapLimit', () => {
  it('keeps at most `limit` calls in flight and returns results in input order', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimit([30, 5, 20, 1, 10], 2, async (ms, i) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      return i * 10;
    });
    expect(most).toBe(2);
    expect(out).toEqual([0, 10, 20, 30, 40]);
  });

  it('calls nothing for no items', async () => {
    expect(await mapLimit([], 4, () => Promise.reject(new Error('called')))).toEqual([]);
  });
});
