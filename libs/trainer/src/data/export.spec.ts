import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDemoDataset } from './demo';
import { exportDemoDataset } from './export';
import { loadImageFolder } from './image-folder';

const tmp = mkdtempSync(join(tmpdir(), 'retune-export-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('exporting a demo task as an image folder', () => {
  it('writes train/ and val/ <class>/*.png that load back to the same pixels', async () => {
    const dir = join(tmp, 'mnist');
    const opts = { trainPerClass: 2, valPerClass: 1 };
    const splits = await exportDemoDataset('demo:mnist-5-9-inverted', dir, opts);
    expect(splits).toEqual([
      { split: 'train', images: 10, classes: 5 },
      { split: 'val', images: 5, classes: 5 },
    ]);
    expect(readdirSync(join(dir, 'train'))).toEqual(['5', '6', '7', '8', '9']);
    expect(readdirSync(join(dir, 'train', '7'))).toEqual(['0000.png', '0001.png']);
    const loaded = await loadImageFolder(dir, {
      imageShape: [28, 28, 1],
      valFraction: 0.2,
      seed: 0,
    });
    expect(loaded.layout).toBe('train-val');
    const demo = loadDemoDataset('demo:mnist-5-9-inverted', opts);
    // Same images per class (PNG is lossless); the folder lists each class in file order.
    for (const split of ['train', 'val'] as const) {
      const byClass = (d: typeof demo.train) =>
        d.classNames.map((_, k) =>
          [...d.labels.keys()]
            .filter((i) => d.labels[i] === k)
            .map((i) => [...d.images.subarray(i * 784, (i + 1) * 784)]),
        );
      expect(byClass(loaded[split])).toEqual(byClass(demo[split]));
    }
    await expect(exportDemoDataset('demo:mnist-5-9', dir, opts)).rejects.toThrow(
      `${dir} is not empty: export into a new or empty folder`,
    );
  });
});
