import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Where a streamed dataset's pixels are: a file of same-sized uint8 images back to back (a
 * decode cache entry, ./decode-cache.ts), read a batch at a time instead of held in memory,
 * so a 10,000-image 224² folder (1.5 GB of pixels) trains in a fraction of that.
 */
export interface ImageStore {
  /** The file of images, one after another. */
  path: string;
  /** Example i of the dataset is image positions[i] of the file. */
  positions: Int32Array;
}

/** The store of `positions` of `store` (a subset in that order; nothing is read). */
export const storeSubset = (store: ImageStore, indices: readonly number[]): ImageStore => ({
  path: store.path,
  positions: Int32Array.from(indices, (i) => store.positions[i]!),
});

function openStore(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (err) {
    throw new Error(
      `the streamed images of this dataset are gone: ${(err as Error).message} (was the decode cache deleted while a trial ran? run the trial again)`,
    );
  }
}

/**
 * Copies the images of examples `indices` of `store` into `out`, one after another from index
 * 0 (uint8 or float32: the values are the same). One file open per call, one read per image.
 */
export function readStoredImages(
  store: ImageStore,
  size: number,
  indices: readonly number[],
  out: Uint8Array | Float32Array,
): void {
  const scratch = out instanceof Uint8Array ? undefined : new Uint8Array(size);
  const fd = openStore(store.path);
  try {
    indices.forEach((i, j) => {
      const pos = store.positions[i];
      if (pos === undefined) throw new Error(`example ${i} is outside the streamed dataset`);
      const into = scratch ?? (out as Uint8Array).subarray(j * size, (j + 1) * size);
      const got = readSync(fd, into, 0, size, pos * size);
      if (got !== size) {
        throw new Error(
          `${store.path}: image ${pos} is cut short (${got} of ${size} bytes); delete the file to decode the images again`,
        );
      }
      if (scratch) out.set(scratch, j * size);
    });
  } finally {
    closeSync(fd);
  }
}
