import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { TASK_NAME_PATTERN } from '@retune/core';
import type { ImageDataset, TaskLabels } from './dataset';
import { decodeFiles } from './decode-cache';
import type { ImageFolderData, ImageFolderOptions } from './image-folder';
import { MISSING_LABEL, splitMultiTask, validateMultiTask, withTasks } from './multitask';

/**
 * Image folders with several labels per image (docs/multitask.md): `labels.csv` with header
 * `file,<task1>,…`, `file` relative to the csv's folder, an empty cell = label missing.
 * Layouts: `root/train/labels.csv` (+ optional `root/val/labels.csv`, `root/test/labels.csv`),
 * or one `root/labels.csv` split into train/val by `valFraction`.
 */
export const LABELS_CSV = 'labels.csv';

const isFile = (p: string) => existsSync(p) && statSync(p).isFile();

/** The training labels.csv of a dataset folder, or undefined when it has none. */
export function labelsCsvOf(root: string): string | undefined {
  return [join(root, 'train', LABELS_CSV), join(root, LABELS_CSV)].find(isFile);
}

/** One csv line's cells; a cell may be quoted ("a,b", "" for a quote inside). */
function cells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cur += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      out.push(cur.trim());
      cur = '';
    } else {
      cur += ch;
    }
  }
  out.push(cur.trim());
  return out;
}

export interface LabelsCsv {
  path: string;
  tasks: string[];
  rows: { file: string; cells: string[] }[];
}

/** Reads and checks a labels.csv: the header, the cell count of each row. */
export function readLabelsCsv(path: string): LabelsCsv {
  const lines = readFileSync(path, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = lines[0] ? cells(lines[0]) : [];
  const tasks = header.slice(1);
  if (header[0] !== 'file' || tasks.length === 0) {
    throw new Error(
      `${path}: the header must be file,<task1>,<task2>,… (e.g. file,item,group), got "${lines[0] ?? ''}"`,
    );
  }
  const bad = tasks.filter((t) => !TASK_NAME_PATTERN.test(t));
  if (bad.length > 0) {
    throw new Error(
      `${path}: column(s) ${bad.join(', ')} are not task names (lower-case letters and digits, starting with a letter)`,
    );
  }
  const rows = lines.slice(1).map((line, i) => {
    const c = cells(line);
    if (c.length !== header.length || c[0] === '') {
      throw new Error(
        `${path} line ${i + 2}: expected ${header.length} cells (a file and one label per task, empty when missing), got "${line}"`,
      );
    }
    return { file: c[0]!, cells: c.slice(1) };
  });
  if (rows.length === 0) throw new Error(`${path} lists no images`);
  return { path, tasks, rows };
}

const sortedClasses = (csv: LabelsCsv, t: number) =>
  [...new Set(csv.rows.map((r) => r.cells[t]!).filter((c) => c !== ''))].sort();

/** Decodes the images a labels.csv lists; unreadable ones are skipped, missing files an error. */
async function loadCsvSplit(
  csv: LabelsCsv,
  classNames: string[][],
  opts: ImageFolderOptions,
): Promise<{ ds: ImageDataset; skipped: number }> {
  const dir = dirname(resolve(csv.path));
  const files = csv.rows.map((r) => join(dir, r.file));
  const absent = files.filter((f) => !isFile(f));
  if (absent.length > 0) {
    throw new Error(
      `${csv.path} lists ${absent.length} file(s) that do not exist, e.g. ${absent[0]} (paths are relative to the csv's folder)`,
    );
  }
  const { pixels, errors } = await decodeFiles(files, opts.imageShape, {
    ...(opts.cacheDir && { cacheDir: opts.cacheDir }),
    ...(opts.concurrency && { concurrency: opts.concurrency }),
    ...(opts.warn && { warn: opts.warn }),
  });
  const kept = csv.rows.filter((_, i) => errors[i] === null);
  const tasks: TaskLabels[] = csv.tasks.map((name, t) => ({
    name,
    classNames: classNames[t]!,
    labels: Int32Array.from(kept, (r) => {
      const cell = r.cells[t]!;
      if (cell === '') return MISSING_LABEL;
      const label = classNames[t]!.indexOf(cell);
      if (label < 0) {
        throw new Error(
          `${csv.path}: "${cell}" in column ${name} is not a class of the training labels (${classNames[t]!.join(', ')})`,
        );
      }
      return label;
    }),
  }));
  const [h, w, c] = opts.imageShape;
  return {
    ds: withTasks({ images: pixels, shape: [h, w, c] }, tasks),
    skipped: csv.rows.length - kept.length,
  };
}

/** A labels.csv dataset folder as train/val (/test) splits carrying every task's labels. */
export async function loadLabelsCsvFolder(
  root: string,
  opts: ImageFolderOptions,
): Promise<ImageFolderData> {
  const trainCsv = labelsCsvOf(root);
  if (!trainCsv) throw new Error(`dataset folder ${root} has no ${LABELS_CSV}`);
  const train = readLabelsCsv(trainCsv);
  const classNames = train.tasks.map((_, t) => sortedClasses(train, t));
  const other = (split: string) => {
    const path = join(root, split, LABELS_CSV);
    if (!isFile(path) || trainCsv === join(root, LABELS_CSV)) return undefined;
    const csv = readLabelsCsv(path);
    if (csv.tasks.join(',') !== train.tasks.join(',')) {
      throw new Error(
        `${path}: columns ${csv.tasks.join(',')} differ from ${trainCsv}'s ${train.tasks.join(',')}`,
      );
    }
    return csv;
  };
  const all = await loadCsvSplit(train, classNames, opts);
  let skipped = all.skipped;
  const valCsv = other('val');
  let split: { train: ImageDataset; val: ImageDataset };
  if (valCsv) {
    const v = await loadCsvSplit(valCsv, classNames, opts);
    skipped += v.skipped;
    split = { train: all.ds, val: v.ds };
  } else {
    validateMultiTask(all.ds, trainCsv, true);
    split = splitMultiTask(all.ds, { valFraction: opts.valFraction, seed: opts.seed });
  }
  const testCsv = other('test');
  const test = testCsv ? await loadCsvSplit(testCsv, classNames, opts) : undefined;
  skipped += test?.skipped ?? 0;
  const layout = trainCsv === join(root, LABELS_CSV) ? 'flat' : valCsv ? 'train-val' : 'train-only';
  return { ...split, ...(test && { test: test.ds }), skipped, layout };
}
