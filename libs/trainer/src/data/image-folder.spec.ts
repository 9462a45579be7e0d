import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digitPixels, writeCorrupt, writeDigitFolder } from '../test-support/image-folder';
import { classCounts } from './dataset';
import { loadImageFolder, type ImageFolderOptions } from './image-folder';
import { loadTrialDataset } from './load';

const tmp = mkdtempSync(join(tmpdir(), 'retune-image-folder-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const flat = join(tmp, 'flat');
const split = join(tmp, 'split');
const opts = (o: Partial<ImageFolderOptions> = {}): ImageFolderOptions => ({
  imageShape: [28, 28, 1],
  valFraction: 0.2,
  seed: 1,
  ...o,
});

beforeAll(async () => {
  // Folder names sort differently from insertion order; "seven" gets a corrupt file.
  await writeDigitFolder(flat, { seven: [7, 15], five: [5, 10] });
  await writeDigitFolder(join(flat, 'test'), { five: [5, 2] }, 30);
  writeCorrupt(join(flat, 'seven', 'broken.png'));
  mkdirSync(join(flat, '.hidden'));
  await writeDigitFolder(join(split, 'train'), { a: [3, 6], b: [4, 6] });
  await writeDigitFolder(join(split, 'val'), { a: [3, 3], b: [4, 2] }, 20);
  await writeDigitFolder(join(split, 'test'), { b: [4, 2] }, 40);
});

describe('loadImageFolder', () => {
  it('flat layout: sorted class names, stratified seeded split, corrupt files skipped', async () => {
    const warnings: string[] = [];
    const a = await loadImageFolder(flat, opts({ warn: (m) => warnings.push(m) }));
    expect(a.layout).toBe('flat');
    expect(a.train.classNames).toEqual(['five', 'seven']);
    expect(a.skipped).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(join(flat, 'seven', 'broken.png'));
    expect(classCounts(a.val)).toEqual([2, 3]);
    expect(classCounts(a.train)).toEqual([8, 12]);
    expect(a.train.shape).toEqual([28, 28, 1]);
    expect(classCounts(a.test!)).toEqual([2, 0]);
    expect(a.train.images).toBeInstanceOf(Uint8Array);
    // PNGs are lossless: some val image of class "five" is exactly one of the written digits.
    const five0 = digitPixels(5, 0);
    const all = [a.train, a.val].flatMap((d) =>
      [...d.labels].map((_, i) => d.images.subarray(i * 784, (i + 1) * 784)),
    );
    expect(all.some((img) => img.every((v, j) => v === five0[j]))).toBe(true);

    const b = await loadImageFolder(flat, opts());
    expect(b.val.images).toEqual(a.val.images);
    expect(b.val.labels).toEqual(a.val.labels);
    const c = await loadImageFolder(flat, opts({ seed: 2 }));
    expect(c.val.images).not.toEqual(a.val.images);
  });

  it('explicit train/val folders and a test holdout; other shapes and channel counts', async () => {
    const d = await loadImageFolder(split, opts({ imageShape: [14, 10, 3] }));
    expect(d.layout).toBe('train-val');
    expect(d.train.classNames).toEqual(['a', 'b']);
    expect(classCounts(d.train)).toEqual([6, 6]);
    expect(classCounts(d.val)).toEqual([3, 2]);
    expect(classCounts(d.test!)).toEqual([0, 2]);
    expect(d.train.shape).toEqual([14, 10, 3]);
    expect(d.train.images.length).toBe(12 * 14 * 10 * 3);
    expect(d.skipped).toBe(0);
    // Grey PNGs on an RGB shape: every pixel's three channels are equal.
    const px = d.train.images;
    expect(px.every((v, i) => v === px[i - (i % 3)])).toBe(true);
  });

  it('applies the EXIF orientation of a JPEG before resizing', async () => {
    // Stored 40 wide × 20 high, left half black, right half white; orientation 6 displays it
    // rotated 90° clockwise: 20 wide × 40 high, top half black, bottom half white.
    const pixels = new Uint8Array(20 * 40).map((_, i) => (i % 40 < 20 ? 0 : 255));
    const root = join(tmp, 'exif');
    for (const [cls, orientation] of [
      ['rotated', 6],
      ['upright', 1],
    ] as const) {
      mkdirSync(join(root, cls), { recursive: true });
      for (const f of ['a.jpg', 'b.jpg']) {
        await sharp(pixels, { raw: { width: 40, height: 20, channels: 1 } })
          .withMetadata({ orientation })
          .jpeg({ quality: 95 })
          .toFile(join(root, cls, f));
      }
    }
    const d = await loadImageFolder(root, opts({ imageShape: [8, 4, 1], valFraction: 0.5 }));
    const img = (k: number) => d.train.images.subarray(k * 32, (k + 1) * 32);
    const mean = (a: Uint8Array, pick: (i: number) => boolean) => {
      const v = [...a].filter((_, i) => pick(i));
      return v.reduce((x, y) => x + y, 0) / v.length;
    };
    const rotated = img([...d.train.labels].indexOf(0));
    expect(mean(rotated, (i) => i < 16)).toBeLessThan(60);
    expect(mean(rotated, (i) => i >= 16)).toBeGreaterThan(195);
    const upright = img([...d.train.labels].indexOf(1));
    expect(mean(upright, (i) => i % 4 < 2)).toBeLessThan(60);
    expect(mean(upright, (i) => i % 4 >= 2)).toBeGreaterThan(195);
  });

  it('a val/ folder without train/ is an error that says so', async () => {
    const root = join(tmp, 'lone-val');
    await writeDigitFolder(join(root, 'val'), { a: [3, 2] });
    await writeDigitFolder(root, { a: [3, 4] });
    await expect(loadImageFolder(root, opts())).rejects.toThrow(
      `dataset folder ${root} has a val/ folder but no train/ folder: put the training images in ${join(root, 'train')}/<class>/`,
    );
  });

  it('empty classes, missing roots and no classes are errors naming the folder', async () => {
    const empty = join(tmp, 'empty-class');
    await writeDigitFolder(empty, { x: [1, 3] });
    mkdirSync(join(empty, 'y'));
    await expect(loadImageFolder(empty, opts())).rejects.toThrow(
      `class folder ${join(empty, 'y')} has no images`,
    );
    const unreadable = join(tmp, 'unreadable-class');
    await writeDigitFolder(unreadable, { x: [1, 3] });
    mkdirSync(join(unreadable, 'y'));
    writeCorrupt(join(unreadable, 'y', 'a.jpg'));
    await expect(loadImageFolder(unreadable, opts())).rejects.toThrow(
      `class folder ${join(unreadable, 'y')} has no readable images`,
    );
    const none = join(tmp, 'no-classes');
    mkdirSync(none);
    await expect(loadImageFolder(none, opts())).rejects.toThrow(
      `dataset folder ${none} has no class folders`,
    );
    await expect(loadImageFolder(join(tmp, 'nope'), opts())).rejects.toThrow(/does not exist/);
    await expect(
      loadTrialDataset(
        join(tmp, 'nope'),
        { trainPerClass: undefined, valPerClass: undefined, dataSeed: 0, valFraction: 0.2 },
        {
          imageShape: [28, 28, 1],
        },
      ),
    ).rejects.toThrow(/does not exist/);
  });
});
