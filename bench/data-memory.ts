/**
 * Peak memory of holding and batching a large image dataset in the tfjs trainer: N synthetic
 * RGB images of side×side (default 10,000 × 224²), one epoch of float32 batches through
 * `batchTensor`, then RSS and the peak (VmHWM) printed. Not a test.
 *
 *   npx tsx bench/data-memory.ts [--images 10000] [--side 224] [--batch 32] [--folder]
 *       [--train-steps 5 [--freeze feature-extraction]]
 *
 * By default the dataset is generated in memory (what the trainer holds after loading).
 * `--folder` writes the images as JPEGs into a temporary image folder, then loads them through
 * `loadTrialDataset` in two fresh processes, as two trials on one worker would: the first
 * decodes (and writes the decode cache), the second reads the decode cache.
 *
 * `--train-steps N` then trains: N steps of the trainer (TransferTrainer.trainStep, batches of
 * the held dataset) on EfficientNet-Lite0 with ImageNet weights at side×side, with
 * `--freeze` (default feature extraction), and reports the peak again: the dataset and the
 * training together.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import {
  batchPixels,
  batchTensor,
  indexRange,
  loadBaseSpec,
  loadTf,
  loadTrialDataset,
  parseParams,
  TransferTrainer,
  type ImageDataset,
} from '@retune/trainer';
import { scriptArg, scriptNumber } from '@retune/tools/script-args';

const images = scriptNumber('images', 10000);
const side = scriptNumber('side', 224);
const batch = scriptNumber('batch', 32);
const phase = scriptArg('phase', '');
const trainSteps = scriptNumber('train-steps', 0);
const freeze = scriptArg('freeze', 'feature-extraction');

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const peak = () => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : Number.NaN;
};
const report = (stage: string) =>
  console.log(
    `${stage.padEnd(40)} rss ${mib(process.memoryUsage().rss).padStart(9)}   peak ${mib(peak()).padStart(9)}`,
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

function inMemory(): ImageDataset {
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

async function writeFolder(dir: string): Promise<void> {
  const one = new Uint8Array(side * side * 3);
  for (let k = 0; k < images; k++) {
    const cls = join(dir, `c${k % 10}`);
    if (k < 10) mkdirSync(cls, { recursive: true });
    pattern(k, one);
    await sharp(one, { raw: { width: side, height: side, channels: 3 } })
      .jpeg({ quality: 85 })
      .toFile(join(cls, `${k}.jpg`));
  }
}

/** One trial's load of the folder (decode or decode cache), in this process. */
async function loadFolder(dir: string): Promise<ImageDataset> {
  const t = performance.now();
  const { train, val } = await loadTrialDataset(dir, parseParams({ valFraction: 0.1 }).params, {
    imageShape: [side, side, 3],
    cacheDir: join(dir, '..', 'cache'),
  });
  const held = train.store ? 'streamed from the decode cache' : mib(train.images.buffer.byteLength);
  report(`${phase} in ${((performance.now() - t) / 1000).toFixed(1)} s (${held})`);
  console.log(`  ${train.labels.length} train + ${val.labels.length} val images`);
  return train;
}

function epoch(ds: ImageDataset): void {
  const { tf } = loadTf();
  const n = ds.labels.length;
  for (let start = 0; start < n; start += batch) {
    const xs = batchTensor(ds, indexRange(start, Math.min(n, start + batch)));
    tf.sum(xs).dispose();
    xs.dispose();
  }
  report(`one epoch of ${batch}-image batches`);
}

/** `trainSteps` training steps on batches of `ds` (EfficientNet-Lite0, ImageNet weights). */
async function train(ds: ImageDataset): Promise<void> {
  if (trainSteps <= 0) return;
  const { tf } = loadTf();
  const base = await loadBaseSpec(`imagenet:efficientnet-lite0@${side}`, undefined, () => {}, 1);
  const { params } = parseParams({ freezeDepth: freeze, batchSize: batch });
  const classes = ds.classNames.length;
  const trainer = new TransferTrainer({ base, params, seed: 1, classes });
  report(`EfficientNet-Lite0 @${side} loaded (${freeze})`);
  for (let s = 0; s < trainSteps; s++) {
    const idx = indexRange(s * batch, (s + 1) * batch).map((i) => i % ds.labels.length);
    const labels = Int32Array.from(idx, (i) => ds.labels[i]!);
    const r = trainer.trainStep(batchPixels(ds, idx), labels, ds.shape, s);
    tf.dispose([r.lossSum, r.correct]);
  }
  report(`${trainSteps} training steps of ${batch} images`);
  trainer.dispose();
}

// (tfjs-node's binding lookup parses argv with nopt, so no flag may abbreviate one of its own: --dir would.)
loadTf();
if (phase) {
  report(`[${phase}] start (tfjs-node loaded)`);
  const ds = await loadFolder(scriptArg('image-folder', ''));
  epoch(ds);
  await train(ds);
} else if (process.argv.includes('--folder')) {
  const tmp = mkdtempSync(join(tmpdir(), 'retune-data-memory-'));
  try {
    await writeFolder(join(tmp, 'images'));
    console.log(`wrote ${images} JPEGs of ${side}×${side}`);
    for (const p of ['decode', 'cache-hit']) {
      const script = fileURLToPath(import.meta.url);
      const args = [...process.execArgv, script, ...process.argv.slice(2), '--phase', p];
      spawnSync(process.execPath, [...args, '--image-folder', join(tmp, 'images')], {
        stdio: 'inherit',
      });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
} else {
  report('start (tfjs-node loaded)');
  const ds = inMemory();
  report(`dataset held (${mib(ds.images.byteLength)} of uint8)`);
  epoch(ds);
  console.log(`float32 would be ${mib(4 * ds.images.byteLength)}`);
  await train(ds);
}
