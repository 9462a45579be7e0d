import { mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseParams } from '../params';
import { rngFor, Stream } from '../rng';
import { makeTrainer } from '../test-support/fixtures';
import { writeCorrupt, writeDigitFolder } from '../test-support/image-folder';
import { batchPixels, indexRange } from './batch';
import { conformDataset } from './conform';
import { validateDataset, type ImageDataset } from './dataset';
import { loadTrialDataset, type TrialDataset } from './load';
import { streamAboveBytes } from './stream-setting';

const tmp = mkdtempSync(join(tmpdir(), 'retune-image-store-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const root = join(tmp, 'digits');
const { params } = parseParams({
  valFraction: 0.25,
  trainPerClass: 4,
  dataSeed: 2,
  augment: 'light',
  batchSize: 4,
  units: 16,
});

const load = (streamAbove: number, cacheDir = join(tmp, 'cache')): Promise<TrialDataset> =>
  loadTrialDataset(root, params, { imageShape: [28, 28, 1], cacheDir, streamAbove });

beforeAll(async () => {
  const classes = { a: [5, 6], b: [6, 6], c: [7, 6], d: [8, 6], e: [9, 6] } as const;
  await writeDigitFolder(root, classes as unknown as Record<string, [number, number]>);
  await writeDigitFolder(join(root, 'test'), { a: [5, 2], c: [7, 2] }, 20);
  // Unreadable files leave gaps that decoding straight into the cache file must close.
  writeCorrupt(join(root, 'b', '002.png'));
  writeCorrupt(join(root, 'test', 'a', '000.png'));
});

const everything = (ds: ImageDataset, seed: number) =>
  batchPixels(ds, indexRange(0, ds.labels.length), {
    params: params.augment,
    rng: rngFor(seed, Stream.augment),
  });

describe('streamed image folders (pixels read from the decode cache per batch)', () => {
  it('give the same splits, batches, augmentation and losses as held ones', async () => {
    // Decoded in memory (own cache), decoded into the cache file (miss), read from it (hit).
    const held = await load(Infinity, join(tmp, 'held-cache'));
    const fresh = await load(0);
    const streamed = await load(0);
    expect(held.skipped).toBe(2);
    expect(fresh.skipped).toBe(2);
    for (const ds of [fresh, streamed]) {
      expect(ds.train.store).toBeDefined();
      expect(ds.train.images.length).toBe(0);
      expect(ds.test?.store).toBeDefined();
    }
    expect(held.train.store).toBeUndefined();
    expect(held.train.images.length).toBe(held.train.labels.length * 28 * 28);
    for (const ds of [fresh, streamed]) {
      for (const split of ['train', 'val', 'test'] as const) {
        const a = held[split]!;
        const b = ds[split]!;
        if (split !== 'test') validateDataset(b);
        expect(b.labels).toEqual(a.labels);
        expect(everything(b, 4)).toEqual(everything(a, 4));
      }
    }
    // Per-image readers (conform, export) see the same pixels; the result is held.
    const grown = await conformDataset(streamed.val, [32, 32, 3]);
    expect(grown.store).toBeUndefined();
    expect(grown.images).toEqual((await conformDataset(held.val, [32, 32, 3])).images);
    const fit = (ds: TrialDataset) => {
      const t = makeTrainer({ batchSize: 4, augment: 'light', freezeDepth: 'partial' });
      const out = [t.trainEpoch(ds.train, 0), t.trainEpoch(ds.train, 1), t.evaluate(ds.val)];
      t.model.dispose();
      return out;
    };
    expect(fit(streamed)).toEqual(fit(held));
  });

  it('a cut-short or deleted cache file is a clear error, not wrong pixels', async () => {
    const cacheDir = join(tmp, 'cut');
    const ds = await load(0, cacheDir);
    truncateSync(ds.train.store!.path, 100);
    expect(() => batchPixels(ds.train, [0, 1])).toThrow(/cut short.*delete the file/);
    rmSync(ds.train.store!.path);
    expect(() => batchPixels(ds.train, [0])).toThrow(/streamed images .* gone: ENOENT/);
  });
});

describe('streamAboveBytes (RETUNE_STREAM_DATASET_MIB)', () => {
  it('defaults to 512 MiB, takes MiB, rejects nonsense', () => {
    expect(streamAboveBytes(undefined)).toBe(512 * 2 ** 20);
    expect(streamAboveBytes('0')).toBe(0);
    expect(streamAboveBytes('1.5')).toBe(1.5 * 2 ** 20);
    expect(() => streamAboveBytes('lots')).toThrow(/RETUNE_STREAM_DATASET_MIB.*"lots"/);
    expect(() => streamAboveBytes('-1')).toThrow(/≥ 0/);
  });
});
