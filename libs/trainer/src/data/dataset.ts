import { rngFor, shuffleInPlace, Stream } from '../rng';
import { readStoredImages, storeSubset, type ImageStore } from './image-store';

/**
 * Images as one flat uint8 buffer (NHWC, raw pixel values in [0, 255]) with integer labels.
 * One byte per value keeps a 224×224×3 image at 147 KB (float32 would be 602 KB); batches are
 * converted to float32 one at a time by `batchPixels` / `batchTensor` (./batch).
 */
export interface ImageDataset {
  images: Uint8Array;
  labels: Int32Array;
  /** [height, width, channels] of one image. */
  shape: [number, number, number];
  /** Human-readable class names; label i is classNames[i]. */
  classNames: string[];
  /**
   * Several labels per image (multi-task, ./multitask.ts): one entry per task, labels aligned
   * with the images, MISSING_LABEL where a task has no label. `labels`/`classNames` are then the
   * first task's. Absent for single-task datasets.
   */
  tasks?: TaskLabels[];
  /**
   * Set for a streamed dataset (large image folders, ./image-store.ts): the pixels stay in this
   * file and `images` is empty; read them with `copyImages`, never `images` directly.
   */
  store?: ImageStore;
}

/** One task's labels of a multi-task dataset (label i is classNames[i]; -1 = missing). */
export interface TaskLabels {
  name: string;
  classNames: string[];
  labels: Int32Array;
}

export const imageSize = (ds: Pick<ImageDataset, 'shape'>) =>
  ds.shape[0] * ds.shape[1] * ds.shape[2];

/** The pixels of example `i`: a view of a held dataset, a fresh read of a streamed one. */
export function imageOf(ds: ImageDataset, i: number): Uint8Array {
  const size = imageSize(ds);
  if (!ds.store) return ds.images.subarray(i * size, (i + 1) * size);
  const out = new Uint8Array(size);
  readStoredImages(ds.store, size, [i], out);
  return out;
}

/** Copies the pixels of examples `indices` into `out` (one after another), held or streamed. */
export function copyImages(
  ds: ImageDataset,
  indices: readonly number[],
  out: Uint8Array | Float32Array,
): void {
  const size = imageSize(ds);
  if (ds.store) return readStoredImages(ds.store, size, indices, out);
  indices.forEach((src, j) => out.set(ds.images.subarray(src * size, (src + 1) * size), j * size));
}

/** Throws a clear error when the dataset is empty, inconsistent, or a class has no examples. */
export function validateDataset(ds: ImageDataset, what = 'dataset'): void {
  const n = ds.labels.length;
  if (ds.classNames.length === 0) throw new Error(`${what} has no classes`);
  if (n === 0) throw new Error(`${what} is empty (0 examples)`);
  const pixels = ds.store ? ds.store.positions.length * imageSize(ds) : ds.images.length;
  if (pixels !== n * imageSize(ds)) {
    throw new Error(
      `${what}: ${pixels} pixel values do not match ${n} images of shape [${ds.shape.join(', ')}]`,
    );
  }
  const counts = classCounts(ds);
  counts.forEach((c, k) => {
    if (c === 0)
      throw new Error(`${what}: class "${ds.classNames[k]}" (label ${k}) has no examples`);
  });
  for (const l of ds.labels) {
    if (l < 0 || l >= ds.classNames.length) {
      throw new Error(`${what}: label ${l} outside 0..${ds.classNames.length - 1}`);
    }
  }
}

export function classCounts(ds: Pick<ImageDataset, 'labels' | 'classNames'>): number[] {
  const counts = new Array<number>(ds.classNames.length).fill(0);
  for (const l of ds.labels) counts[l] = (counts[l] ?? 0) + 1;
  return counts;
}

/** The examples at `indices`, in that order. */
export function subset(ds: ImageDataset, indices: readonly number[]): ImageDataset {
  // A streamed dataset's subset stays streamed: positions in the same file, no pixels read.
  const images = new Uint8Array(ds.store ? 0 : indices.length * imageSize(ds));
  if (!ds.store) copyImages(ds, indices, images);
  const labels = Int32Array.from(indices, (i) => ds.labels[i]!);
  const tasks = ds.tasks?.map((t) => ({
    ...t,
    labels: Int32Array.from(indices, (i) => t.labels[i]!),
  }));
  return {
    images,
    labels,
    shape: ds.shape,
    classNames: ds.classNames,
    ...(tasks && { tasks }),
    ...(ds.store && { store: storeSubset(ds.store, indices) }),
  };
}

/**
 * Stratified, seeded train/val split: each class contributes round(valFraction × its count)
 * examples (at least one, and at least one stays in train) to validation. Returns the indices
 * of each side, in the order the split datasets hold them.
 */
export function splitIndices(
  ds: ImageDataset,
  opts: { valFraction: number; seed: number },
): { train: number[]; val: number[] } {
  if (!(opts.valFraction > 0 && opts.valFraction < 1)) {
    throw new Error(`valFraction must be in (0, 1), got ${opts.valFraction}`);
  }
  validateDataset(ds);
  const byClass = ds.classNames.map(() => [] as number[]);
  ds.labels.forEach((l, i) => byClass[l]!.push(i));
  const train: number[] = [];
  const val: number[] = [];
  byClass.forEach((idx, k) => {
    if (idx.length < 2) {
      throw new Error(
        `class "${ds.classNames[k]}" has ${idx.length} example(s); a train/val split needs at least 2`,
      );
    }
    shuffleInPlace(idx, rngFor(opts.seed, Stream.data, k));
    const nVal = Math.min(idx.length - 1, Math.max(1, Math.round(idx.length * opts.valFraction)));
    val.push(...idx.slice(0, nVal));
    train.push(...idx.slice(nVal));
  });
  return { train, val };
}

/** `splitIndices` as two new datasets (copies; `ds` is unchanged). */
export function stratifiedSplit(
  ds: ImageDataset,
  opts: { valFraction: number; seed: number },
): { train: ImageDataset; val: ImageDataset } {
  const { train, val } = splitIndices(ds, opts);
  return { train: subset(ds, train), val: subset(ds, val) };
}

/**
 * The same split as `stratifiedSplit` without a second copy of the pixels: `ds` is reordered in
 * place (train examples first) and both halves are views of its buffer. For datasets nobody
 * else holds, e.g. a freshly decoded image folder (10,000 images of 224² RGB are 1.5 GB).
 */
export function splitInPlace(
  ds: ImageDataset,
  opts: { valFraction: number; seed: number },
): { train: ImageDataset; val: ImageDataset } {
  // Streamed: subsets are positions only, so there is no copy to save.
  if (ds.store) return stratifiedSplit(ds, opts);
  const { train, val } = splitIndices(ds, opts);
  permuteInPlace(ds, [...train, ...val]);
  const size = imageSize(ds);
  const view = (from: number, to: number): ImageDataset => ({
    images: ds.images.subarray(from * size, to * size),
    labels: ds.labels.subarray(from, to),
    shape: ds.shape,
    classNames: ds.classNames,
  });
  return { train: view(0, train.length), val: view(train.length, ds.labels.length) };
}

/** Reorders the examples so that position j holds what was at order[j] (one image of scratch). */
function permuteInPlace(ds: ImageDataset, order: readonly number[]): void {
  const size = imageSize(ds);
  const img = (k: number) => ds.images.subarray(k * size, (k + 1) * size);
  const done = new Uint8Array(order.length);
  for (let i = 0; i < order.length; i++) {
    if (done[i]) continue;
    const firstImage = img(i).slice();
    const firstLabel = ds.labels[i]!;
    let j = i;
    for (;;) {
      done[j] = 1;
      const k = order[j]!;
      if (k === i) {
        ds.images.set(firstImage, j * size);
        ds.labels[j] = firstLabel;
        break;
      }
      ds.images.copyWithin(j * size, k * size, (k + 1) * size);
      ds.labels[j] = ds.labels[k]!;
      j = k;
    }
  }
}

/**
 * At most `n` examples of each class, chosen by a seeded shuffle (order kept), so
 * `trainPerClass`/`valPerClass` mean the same for image folders as for the demo datasets.
 */
export function capPerClass(ds: ImageDataset, n: number, seed: number): ImageDataset {
  const byClass = ds.classNames.map(() => [] as number[]);
  ds.labels.forEach((label, i) => byClass[label]!.push(i));
  if (byClass.every((idx) => idx.length <= n)) return ds;
  const keep = byClass.flatMap((idx, k) =>
    shuffleInPlace([...idx], rngFor(seed, Stream.data, 7_000 + k)).slice(0, n),
  );
  return subset(
    ds,
    keep.sort((a, b) => a - b),
  );
}

/** A pixel value rounded and clamped to [0, 255] (a Uint8Array would wrap and truncate). */
export const toByte = (v: number): number => Math.min(255, Math.max(0, Math.round(v)));
