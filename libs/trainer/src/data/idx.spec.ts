import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parseIdx, readIdxImages, readIdxLabels } from './idx';

// Written out byte by byte: magic 0x00000803 (2051), 2 images of 2 rows × 3 columns.
const IMAGES = Uint8Array.from([
  0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 255, 254, 253, 252, 251, 250,
]);
// Magic 0x00000801 (2049), 2 labels.
const LABELS = Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 2, 7, 9]);

const tmp = mkdtempSync(join(tmpdir(), 'retune-idx-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('IDX parser', () => {
  it('reads big-endian dimensions and the bytes after the header, gzip or not', () => {
    writeFileSync(join(tmp, 'images.gz'), gzipSync(IMAGES));
    writeFileSync(join(tmp, 'labels'), LABELS);
    const img = readIdxImages(join(tmp, 'images.gz'));
    expect([img.count, img.rows, img.cols]).toEqual([2, 2, 3]);
    expect([...img.pixels]).toEqual([1, 2, 3, 4, 5, 6, 255, 254, 253, 252, 251, 250]);
    expect([...readIdxLabels(join(tmp, 'labels'))]).toEqual([7, 9]);
  });

  it('rejects a wrong magic number, a truncated file and the wrong kind of file', () => {
    expect(() => parseIdx(Uint8Array.from([0x1f, 0x8c, 0, 0]))).toThrow(
      /magic number \d+ is not an unsigned-byte IDX file \(expected 2051 for images or 2049 for labels\)/,
    );
    expect(() => parseIdx(IMAGES.subarray(0, IMAGES.length - 1), 'x.idx')).toThrow(
      /x\.idx: dimensions \[2, 2, 3\] need 12 bytes of data, the file has 11/,
    );
    writeFileSync(join(tmp, 'swapped'), LABELS);
    expect(() => readIdxImages(join(tmp, 'swapped'))).toThrow(/image file has 3 dimensions/);
  });
});
