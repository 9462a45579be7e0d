import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/**
 * IDX files (the MNIST / Fashion-MNIST format): a big-endian header — two zero bytes, a type
 * byte (0x08 = unsigned byte), the number of dimensions — then each dimension as a big-endian
 * uint32, then the values. Images are magic 2051 (0x00000803, 3 dimensions), labels 2049
 * (0x00000801, 1 dimension).
 */
export const IDX_IMAGES_MAGIC = 2051;
export const IDX_LABELS_MAGIC = 2049;

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** Parses an IDX buffer of unsigned bytes (gzip-compressed or not). */
export function parseIdx(buf: Uint8Array, what = 'IDX data'): IdxArray {
  const raw = buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf;
  if (raw.length < 4)
    throw new Error(`${what}: ${raw.length} bytes is too short for an IDX header`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const magic = view.getUint32(0, false);
  const type = (magic >> 8) & 0xff;
  const ndim = magic & 0xff;
  if (magic >>> 16 !== 0 || type !== 0x08 || ndim === 0) {
    throw new Error(
      `${what}: magic number ${magic} is not an unsigned-byte IDX file (expected ${IDX_IMAGES_MAGIC} for images or ${IDX_LABELS_MAGIC} for labels)`,
    );
  }
  const header = 4 + 4 * ndim;
  if (raw.length < header) throw new Error(`${what}: truncated header (${ndim} dimensions)`);
  const dims = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  if (raw.length - header !== count) {
    throw new Error(
      `${what}: dimensions [${dims.join(', ')}] need ${count} bytes of data, the file has ${raw.length - header}`,
    );
  }
  return { dims, data: raw.subarray(header) };
}

/** Reads an IDX image file (magic 2051): n images of rows × cols grey bytes. */
export function readIdxImages(file: string): {
  count: number;
  rows: number;
  cols: number;
  pixels: Uint8Array;
} {
  const { dims, data } = parseIdx(readFileSync(file), file);
  if (dims.length !== 3) {
    throw new Error(
      `${file}: an image file has 3 dimensions (magic ${IDX_IMAGES_MAGIC}), this one ${dims.length}`,
    );
  }
  const [count, rows, cols] = dims as [number, number, number];
  return { count, rows, cols, pixels: data };
}

/** Reads an IDX label file (magic 2049): one byte per example. */
export function readIdxLabels(file: string): Uint8Array {
  const { dims, data } = parseIdx(readFileSync(file), file);
  if (dims.length !== 1) {
    throw new Error(
      `${file}: a label file has 1 dimension (magic ${IDX_LABELS_MAGIC}), this one ${dims.length}`,
    );
  }
  return data;
}
