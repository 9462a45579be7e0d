// Which preprocessing gives a named base its best features? A nearest-centroid probe: global
// average pooled features of N train images per class give one centroid per class; test images
// are labelled by the nearest centroid (cosine). Fashion-MNIST (grey, 28×28) is upscaled and
// repeated over RGB. Not a test: it needs the converted base and the dataset.
//
//   npx tsx tools/bases/probe.ts <fashion-mnist dir> [--size 224] [--per-class 10]
//
// The dataset: `apt-get download dataset-fashion-mnist && dpkg-deb -x dataset-fashion-mnist_*.deb x`
// then x/usr/share/datasets/fashion-mnist (…-idx3-ubyte.gz / …-idx1-ubyte.gz).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Preprocessing } from '@retune/core';
import type { LayersModel, Tensor4D } from '@tensorflow/tfjs';
import { buildEfficientNetLite, loadNamedBase, loadTf, type Tf } from '@retune/trainer';

const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const dir = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (!dir) throw new Error('usage: probe.ts <fashion-mnist dir> [--size 224] [--per-class 10]');
const size = opt('--size', 224);
const perClass = opt('--per-class', 10);
const tf: Tf = loadTf().tf;

function readIdx(file: string): { dims: number[]; data: Uint8Array } {
  const buf = gunzipSync(readFileSync(join(dir!, file)));
  const rank = buf[3]!;
  const dims = Array.from({ length: rank }, (_, i) => buf.readUInt32BE(4 + 4 * i));
  return { dims, data: buf.subarray(4 + 4 * rank) };
}

/** The first `perClass` images of each of the 10 classes, as [n, 28, 28] uint8 and labels. */
function pick(split: 'train' | 't10k') {
  const images = readIdx(`${split}-images-idx3-ubyte.gz`);
  const labels = readIdx(`${split}-labels-idx1-ubyte.gz`).data;
  const counts = new Array<number>(10).fill(0);
  const chosen: number[] = [];
  for (let i = 0; i < labels.length && chosen.length < perClass * 10; i++) {
    if (counts[labels[i]!]! < perClass) {
      counts[labels[i]!]!++;
      chosen.push(i);
    }
  }
  const px = 28 * 28;
  const x = new Float32Array(chosen.length * px);
  chosen.forEach((i, j) => x.set(images.data.subarray(i * px, (i + 1) * px), j * px));
  return { x, y: chosen.map((i) => labels[i]!) };
}

const PREPROCESSINGS: Record<string, Preprocessing> = {
  '(x-127)/128': { kind: 'offset-scale', offset: 127, scale: 128 },
  'ImageNet mean/std': {
    kind: 'mean-std',
    mean: [0.485, 0.456, 0.406],
    std: [0.229, 0.224, 0.225],
  },
  '[0,1]': { kind: 'unit' },
  '[-1,1]': { kind: 'symmetric' },
};

function preprocess(x: Tensor4D, p: Preprocessing): Tensor4D {
  return tf.tidy(() => {
    if (p.kind === 'unit') return x.div(255);
    if (p.kind === 'symmetric') return x.div(127.5).sub(1);
    if (p.kind === 'offset-scale') return x.sub(p.offset).div(p.scale);
    return x.div(255).sub(tf.tensor1d(p.mean)).div(tf.tensor1d(p.std));
  }) as Tensor4D;
}

/** L2-normalised pooled features of [n, 28, 28] grey images, in batches of 20. */
function features(model: LayersModel, grey: Float32Array, p: Preprocessing): Float32Array[] {
  const n = grey.length / (28 * 28);
  const out: Float32Array[] = [];
  for (let s = 0; s < n; s += 20) {
    const b = Math.min(20, n - s);
    const f = tf.tidy(() => {
      const img = tf.tensor4d(grey.subarray(s * 784, (s + b) * 784), [b, 28, 28, 1]);
      const rgb = tf.image.resizeBilinear(img, [size, size]).tile([1, 1, 1, 3]) as Tensor4D;
      const y = model.predict(preprocess(rgb, p)) as Tensor4D;
      const pooled = y.mean([1, 2]);
      return pooled.div(pooled.norm('euclidean', 1, true));
    });
    const data = f.dataSync() as Float32Array;
    f.dispose();
    const d = data.length / b;
    for (let i = 0; i < b; i++) out.push(data.slice(i * d, (i + 1) * d));
  }
  return out;
}

function nearestCentroidAccuracy(
  train: Float32Array[],
  ty: number[],
  test: Float32Array[],
  y: number[],
) {
  const d = train[0]!.length;
  const centroids = Array.from({ length: 10 }, () => new Float32Array(d));
  train.forEach((f, i) => f.forEach((v, j) => (centroids[ty[i]!]![j]! += v)));
  for (const c of centroids) {
    const norm = Math.hypot(...c);
    c.forEach((v, j) => (c[j] = v / norm));
  }
  let correct = 0;
  test.forEach((f, i) => {
    const scores = centroids.map((c) => c.reduce((s, v, j) => s + v * f[j]!, 0));
    if (scores.indexOf(Math.max(...scores)) === y[i]) correct++;
  });
  return correct / test.length;
}

const train = pick('train');
const test = pick('t10k');
const log = (msg: string) => console.log(`  ${msg}`);
const bases: [string, () => Promise<LayersModel>, string[]][] = [
  [
    'imagenet:efficientnet-lite0',
    async () => (await loadNamedBase(`imagenet:efficientnet-lite0@${size}`, log))!.model,
    ['(x-127)/128', 'ImageNet mean/std', '[0,1]'],
  ],
  [
    'efficientnet-lite0, random init',
    async () => buildEfficientNetLite({ inputSize: [size, size], seed: 1 }),
    ['(x-127)/128'],
  ],
  [
    'imagenet-ft:mobilenet-v2',
    async () => (await loadNamedBase(`imagenet-ft:mobilenet-v2@${size}`, log))!.model,
    ['[0,1]', '[-1,1]'],
  ],
];
console.log(
  `nearest-centroid probe, Fashion-MNIST ${perClass}/${perClass} images per class, ${size}×${size}`,
);
for (const [name, load, preps] of bases) {
  const model = await load();
  for (const p of preps) {
    const started = Date.now();
    const pre = PREPROCESSINGS[p]!;
    const acc = nearestCentroidAccuracy(
      features(model, train.x, pre),
      train.y,
      features(model, test.x, pre),
      test.y,
    );
    const s = ((Date.now() - started) / 1000).toFixed(0);
    console.log(`${name.padEnd(34)} ${p.padEnd(18)} accuracy ${acc.toFixed(2)}  (${s} s)`);
  }
  model.dispose();
}
