import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { mapLimit } from '@retune/core';
import { assertEmptyExportDir } from './export-dir';
import { imageOf, type ImageDataset } from './dataset';
import { loadDemoDataset, type DemoDatasetOptions } from './demo';
import { isMultiTaskDemo, loadMultiTaskDemo } from './demo-multitask';
import { writeLabelsCsvFolder } from './labels-csv-export';

export interface ExportedSplit {
  split: string;
  images: number;
  classes: number;
}

/**
 * Writes datasets as an image folder — `dir/<split>/<class>/<n>.png`, 8-bit grey or RGB — the
 * layout `loadImageFolder` reads, so users see what their own data needs to look like. `dir`
 * must not exist or be empty (nothing is overwritten).
 */
export async function writeImageFolder(
  dir: string,
  splits: Record<string, ImageDataset>,
): Promise<ExportedSplit[]> {
  assertEmptyExportDir(dir);
  const out: ExportedSplit[] = [];
  for (const [split, ds] of Object.entries(splits)) {
    const [h, w, c] = ds.shape;
    ds.classNames.forEach((name) => mkdirSync(join(dir, split, name), { recursive: true }));
    const seen = ds.classNames.map(() => 0);
    const names = Array.from(ds.labels, (l) => `${String(seen[l]!++).padStart(4, '0')}.png`);
    await mapLimit(Array.from(ds.labels.keys()), 8, async (i) => {
      await sharp(imageOf(ds, i), { raw: { width: w, height: h, channels: c as 1 | 3 } })
        .png()
        .toFile(join(dir, split, ds.classNames[ds.labels[i]!]!, names[i]!));
    });
    out.push({ split, images: ds.labels.length, classes: ds.classNames.length });
  }
  return out;
}

/** `retune dataset export`: a demo task's train/val splits as an image folder. */
export function exportDemoDataset(
  name: string,
  dir: string,
  opts: DemoDatasetOptions = {},
): Promise<ExportedSplit[]> {
  if (isMultiTaskDemo(name)) {
    const { train, val } = loadMultiTaskDemo(name, opts);
    return writeLabelsCsvFolder(dir, { train, val });
  }
  const { train, val } = loadDemoDataset(name, opts);
  return writeImageFolder(dir, { train, val });
}
