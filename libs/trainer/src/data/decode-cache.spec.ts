import { mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeCorrupt, writeDigitFolder } from '../test-support/image-folder';
import * as decode from './decode';
import { loadImageFolder, type ImageFolderOptions } from './image-folder';

vi.mock('./decode', async (importOriginal) => {
  const mod = await importOriginal<typeof import('./decode')>();
  return { ...mod, decodeImage: vi.fn(mod.decodeImage) };
});

const tmp = mkdtempSync(join(tmpdir(), 'retune-decode-cache-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const root = join(tmp, 'data');
const cacheDir = join(tmp, 'cache');
const opts = (o: Partial<ImageFolderOptions> = {}): ImageFolderOptions => ({
  imageShape: [16, 16, 3],
  valFraction: 0.25,
  seed: 1,
  cacheDir,
  ...o,
});

beforeAll(async () => {
  await writeDigitFolder(root, { three: [3, 4], four: [4, 4] });
  writeCorrupt(join(root, 'four', 'zz-broken.png'));
});

describe('decoded image folders are cached on disk, keyed by content', () => {
  it('a second load decodes nothing and gives identical data (skips and warnings too)', async () => {
    const spy = vi.mocked(decode.decodeImage);
    spy.mockClear();
    const warned: string[] = [];
    const first = await loadImageFolder(root, opts({ warn: (m) => warned.push(m) }));
    expect(spy).toHaveBeenCalledTimes(9);
    expect(readdirSync(cacheDir).sort()).toEqual([
      expect.stringMatching(/\.json$/),
      expect.stringMatching(/\.u8$/),
    ]);
    spy.mockClear();
    const second = await loadImageFolder(root, opts({ warn: (m) => warned.push(m) }));
    expect(spy).not.toHaveBeenCalled();
    expect(second).toEqual(first);
    expect(second.skipped).toBe(1);
    expect(warned).toHaveLength(2);
    expect(warned[1]).toBe(warned[0]);
    // Another target shape is another entry.
    await loadImageFolder(root, opts({ imageShape: [8, 8, 1] }));
    expect(spy).toHaveBeenCalledTimes(9);
    expect(readdirSync(cacheDir)).toHaveLength(4);
  });

  it('changing a file invalidates the entry', async () => {
    const before = await loadImageFolder(root, opts());
    const spy = vi.mocked(decode.decodeImage);
    spy.mockClear();
    // Overwrite one "three" with a different digit and give it a new modification time.
    const [changed] = await writeDigitFolder(root, { three: [8, 1] });
    utimesSync(changed!, new Date(), new Date(Date.now() + 60_000));
    const after = await loadImageFolder(root, opts());
    expect(spy).toHaveBeenCalledTimes(9);
    expect(after).not.toEqual(before);
    expect(after).toEqual(await loadImageFolder(root, opts({ cacheDir: undefined })));
  });
});
