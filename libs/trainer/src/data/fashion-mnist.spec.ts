import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fetchFashionMnist } from './fashion-mnist';

const tmp = mkdtempSync(join(tmpdir(), 'retune-fashion-fetch-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('fetching Fashion-MNIST at first use', () => {
  it('without apt, fails saying how to install it, and leaves nothing half-unpacked', () => {
    const path = process.env['PATH'];
    process.env['PATH'] = join(tmp, 'no-such-bin');
    try {
      expect(() => fetchFashionMnist(join(tmp, 'cache'))).toThrow(
        /could not be fetched \(apt-get: .*ENOENT\)\. Install it with `sudo apt-get install dataset-fashion-mnist`.*RETUNE_FASHION_MNIST/,
      );
    } finally {
      process.env['PATH'] = path;
    }
    expect(readdirSync(join(tmp, 'cache'))).toEqual([]);
  });
});
