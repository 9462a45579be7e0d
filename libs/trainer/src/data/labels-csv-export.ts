import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { mapLimit } from '@retune/core';
import { assertEmptyExportDir } from './export-dir';
import type { ImageDataset } from './dataset';
import type { ExportedSplit } from './export';
import { LABELS_CSV } from './labels-csv';
import { MISSING_LABEL } from './multitask';

/** A csv cell: quoted when it holds a comma or a quote. */
const cell = (v: string) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * Writes multi-task datasets in the labels.csv layout (docs/multitask.md): `dir/<split>/images/
 * <n>.png` and `dir/<split>/labels.csv` (`file,<task1>,…`, an empty cell for a missing label).
 * `dir` must not exist or be empty.
 */
export async function writeLabelsCsvFolder(
  dir: string,
  splits: Record<string, ImageDataset>,
): Promise<ExportedSplit[]> {
  assertEmptyExportDir(dir);
  const out: ExportedSplit[] = [];
  for (const [split, ds] of Object.entries(splits)) {
    const tasks = ds.tasks ?? [];
    if (tasks.length === 0) throw new Error(`split ${split} has no task labels to write`);
    const [h, w, c] = ds.shape;
    const size = h * w * c;
    mkdirSync(join(dir, split, 'images'), { recursive: true });
    const files = Array.from(ds.labels, (_, i) => `images/${String(i).padStart(5, '0')}.png`);
    await mapLimit(files, 8, async (file, i) => {
      await sharp(ds.images.subarray(i * size, (i + 1) * size), {
        raw: { width: w, height: h, channels: c as 1 | 3 },
      })
        .png()
        .toFile(join(dir, split, file));
    });
    const rows = files.map((file, i) =>
      [
        file,
        ...tasks.map((t) => (t.labels[i] === MISSING_LABEL ? '' : t.classNames[t.labels[i]!]!)),
      ]
        .map(cell)
        .join(','),
    );
    const header = ['file', ...tasks.map((t) => t.name)].join(',');
    writeFileSync(join(dir, split, LABELS_CSV), [header, ...rows, ''].join('\n'));
    out.push({ split, images: ds.labels.length, classes: ds.classNames.length });
  }
  return out;
}
