import { rngFor, shuffleInPlace, Stream } from '../rng';

/** Images as one flat float32 buffer (NHWC, values in [0, 1]) with integer labels. */
export interface ImageDataset {
  images: Float32Array;
  labels: Int32Array;
  /** [height, width, channels] of one image. */
  shape: [number, number, number];
  /** Human-readable class names; label i is classNames[i]. */
  classNames: string[];
}

export const imageSize = (ds: Pick<ImageDataset, 'shape'>) =>
  ds.shape[0] * ds.shape[1] * ds.shape[2];

/** Throws a clear error when the dataset is empty, inconsistent, or a class has no examples. */
export function validateDataset(ds: ImageDataset, what = 'dataset'): void {
  const n = ds.labels.length;
  if (ds.classNames.length === 0) throw new Error(`${what} has no classes`);
  if (n === 0) throw new Error(`${what} is empty (0 examples)`);
  if (ds.images.length !== n * imageSize(ds)) {
    throw new Error(
      `${what}: ${ds.images.length} pixel values do not match ${n} images of shape [${ds.shape.join(', ')}]`,
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
  const size = imageSize(ds);
  const images = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  indices.forEach((src, dst) => {
    images.set(ds.images.subarray(src * size, (src + 1) * size), dst * size);
    labels[dst] = ds.labels[src]!;
  });
  return { images, labels, shape: ds.shape, classNames: ds.classNames };
}

/**
 * Stratified, seeded train/val split: each class contributes round(valFraction × its count)
 * examples (at least one, and at least one stays in train) to validation.
 */
export function stratifiedSplit(
  ds: ImageDataset,
  opts: { valFraction: number; seed: number },
): { train: ImageDataset; val: ImageDataset } {
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
  return { train: subset(ds, train), val: subset(ds, val) };
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
