/**
 * Peak memory of holding and batching a large image dataset in the tfjs trainer: N synthetic
 * RGB images of side×side (default 10,000 × 224²), one epoch of float32 batches through
 * `batchTensor`, then RSS and the peak (VmHWM) printed. Not a test.
 *
 *   npx tsx bench/data-memory.ts [--images 10000] [--side 224] [--batch 32] [--folder]
 *
 * By default the dataset is generated in memory (what the trainer holds after loading).
 * `--folder` writes the images as JPEGs into a temporary image folder first and loads them
 * through `loadTrialDataset` (decode + decode cache + split), twice: the second load reads the
 * decode cache.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import {
  batchTensor,
  indexRange,
  loadTf,
  loadTrialDataset,
  parseParams,
  type ImageDataset,
} from '@retune/trainer';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const images = Number(arg('images', '10000'));
const side = Number(arg('side', '224'));
const batch = Number(arg('batch', '32'));
const folder = process.argv.includes('--folder');

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const peak = () => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : Number.NaN;
};
const report = (stage: string) =>
  console.log(
    `${stage.padEnd(34)} rss ${mib(process.memoryUsage().rss).padStart(9)}   peak ${mib(peak()).padStart(9)}`,
  );

/** A smooth, image-like pattern that differs per image (so JPEGs have realistic sizes). */
function pattern(k: number, out: Uint8Array, offset = 0): void {
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const o = offset + (y * side + x) * 3;
      out[o] = (x * 255) / side + k * 7;
      out[o + 1] = (y * 255) / side + k * 13;
      out[o + 2] = ((x + y + k) * 3) & 0xff;
    }
  }
}

async function inMemory(): Promise<ImageDataset> {
  const size = side * side * 3;
  const pixels = new Uint8Array(images * size);
  for (let k = 0; k < images; k++) pattern(k, pixels, k * size);
  return {
    images: pixels,
    labels: Int32Array.from({ length: images }, (_, k) => k % 10),
    shape: [side, side, 3],
    classNames: Array.from({ length: 10 }, (_, k) => `c${k}`),
  };
}

async function fromFolder(dir: string): Promise<ImageDataset> {
  const one = new Uint8Array(side * side * 3);
  for (let k = 0; k < images; k++) {
    const cls = join(dir, `c${k % 10}`);
    if (k < 10) mkdirSync(cls, { recursive: true });
    pattern(k, one);
    await sharp(one, { raw: { width: side, height: side, channels: 3 } })
      .jpeg({ quality: 85 })
      .toFile(join(cls, `${k}.jpg`));
  }
  report(`wrote ${images} JPEGs`);
  const params = parseParams({ valFraction: 0.1 }).params;
  const opts = { imageShape: [side, side, 3] as const, cacheDir: join(dir, '..', 'cache') };
  let t = performance.now();
  const first = await loadTrialDataset(dir, params, opts);
  console.log(`  decoded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  report('loaded (decoded, cache written)');
  t = performance.now();
  const second = await loadTrialDataset(dir, params, opts);
  console.log(`  loaded from the decode cache in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  report('loaded again (decode cache)');
  void first;
  return second.train;
}

const { tf } = loadTf();
report('start (tfjs-node loaded)');
const tmp = mkdtempSync(join(tmpdir(), 'retune-data-memory-'));
try {
  const ds = folder ? await fromFolder(join(tmp, 'images')) : await inMemory();
  report(`dataset held (${mib(ds.images.byteLength)} of uint8)`);
  const n = ds.labels.length;
  for (let start = 0; start < n; start += batch) {
    const xs = batchTensor(ds, indexRange(start, Math.min(n, start + batch)));
    tf.sum(xs).dispose();
    xs.dispose();
  }
  report(`one epoch of ${batch}-image batches`);
  console.log(
    `${n} images of ${side}×${side}×3: uint8 ${mib(ds.images.byteLength)} (float32 would be ${mib(4 * ds.images.byteLength)})`,
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
