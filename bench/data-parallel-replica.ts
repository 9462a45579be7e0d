/**
 * One replica of bench/trainer-data-parallel.ts (its parent starts it; not run by hand).
 * `--world 1`: the tfjs trainer's own step (TransferTrainer.trainStep) on whole batches.
 * `--world W --rank R`: gradients of its share of each batch (one tf.variableGrads pass), sent
 * to the parent on fd 3; the parent's weighted average comes back and is applied by the
 * trainer's two optimizers, so every replica applies the same bytes and stays identical.
 * Prints JSON lines: one per epoch (wall and CPU seconds, mean loss) and one at the end (a hash
 * of all weights; with --dump FILE also the weights themselves, float32, model order).
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { scriptArg, scriptFlag, scriptNumber } from '@retune/tools/script-args';
import type { Scalar, Tensor } from '@tensorflow/tfjs';
import {
  batchPixels,
  loadBaseSpec,
  loadTf,
  parseParams,
  resolveBaseMeta,
  rngFor,
  seedFor,
  shuffleInPlace,
  Stream,
  TransferTrainer,
  type ImageDataset,
} from '@retune/trainer';
import { FrameSocket } from './data-parallel-frames';

const { tf } = loadTf();
const size = scriptNumber('size', 128);
const images = scriptNumber('images', 128);
const batch = scriptNumber('batch', 32);
const epochs = scriptNumber('epochs', 2);
const world = scriptNumber('world', 1);
const rank = scriptNumber('rank', 0);
const dropout = scriptNumber('dropout', 0.3);
const seed = 1;
const classes = 5;

const out = (msg: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(msg)}\n`);

/** The trainer's step split in two: this replica's gradients, then an update from outside. */
class ReplicaTrainer extends TransferTrainer {
  private vars() {
    return [...this.variables('head'), ...this.variables('base')];
  }

  /** [examples, loss sum, correct, ...gradients of the mean loss, variables in model order]. */
  localGrads(pixels: Float32Array, labels: Int32Array, dropoutSeed: number): Float32Array {
    const n = labels.length;
    this.setDropoutSeed(dropoutSeed);
    const total = this.vars().reduce((s, v) => s + v.size, 0);
    const flat = new Float32Array(3 + total);
    try {
      // Filled inside, returned outside: tidy would walk a returned typed array element by
      // element looking for tensors (seconds for 3.4 M gradients).
      tf.tidy(() => {
        const xs = tf.tensor4d(pixels, [n, size, size, 3]);
        const labelsT = tf.tensor1d(labels, 'int32');
        const ys = tf.oneHot(labelsT, classes);
        const vars = this.vars();
        let correct: Scalar | undefined;
        const { value, grads } = tf.variableGrads(() => {
          const probs = this.tm.model.apply(xs, { training: true }) as Tensor;
          correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(probs, 1), labelsT), 'float32')));
          return tf.mean(tf.metrics.categoricalCrossentropy(ys, probs)) as Scalar;
        }, vars);
        flat.set([n, value.dataSync()[0]! * n, correct!.dataSync()[0]!]);
        correct!.dispose();
        let at = 3;
        for (const v of vars) {
          flat.set(grads[v.name]!.dataSync() as Float32Array, at);
          at += v.size;
        }
      });
      return flat;
    } finally {
      this.setDropoutSeed(undefined);
    }
  }

  /** Applies averaged gradients (model order, as localGrads sends them) with both optimizers. */
  applyFlat(avg: Float32Array): void {
    tf.tidy(() => {
      const grads: Record<string, Tensor> = {};
      let at = 0;
      for (const v of this.vars()) {
        grads[v.name] = tf.tensor(avg.subarray(at, at + v.size), v.shape);
        at += v.size;
      }
      const head = this.variables('head');
      this.headOpt.applyGradients(head.map((v) => ({ name: v.name, tensor: grads[v.name]! })));
      this.baseOpt.applyGradients(this.orderedBaseGrads(grads));
    });
  }
}

function randomData(n: number): ImageDataset {
  const pixels = new Uint8Array(n * size * size * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) % 256;
  const labels = Int32Array.from({ length: n }, (_, i) => i % classes);
  const classNames = Array.from({ length: classes }, (_, k) => `c${k}`);
  return { images: pixels, labels, shape: [size, size, 3], classNames };
}

const name = `imagenet:efficientnet-lite0@${size}`;
const { params } = parseParams({
  freezeDepth: 'full',
  batchSize: batch,
  dropout,
  bnMode: 'frozen',
});
const trainer = new ReplicaTrainer({
  base: await loadBaseSpec(name, undefined, console.error, 1),
  params,
  seed,
  classes,
  preprocessing: resolveBaseMeta(undefined, name, [size, size, 3]).preprocessing,
});
const data = randomData(images);
// --solo: a replica's step (its share of each batch) without partners or parent: its own
// gradients stand for the average, to time the split step without the exchange.
const solo = scriptFlag('solo');
const link =
  world > 1 && !solo
    ? new FrameSocket(new Socket({ fd: 3, readable: true, writable: true }))
    : undefined;
const share = Math.ceil(batch / world);

for (let epoch = 0; epoch < epochs; epoch++) {
  const t = performance.now();
  const c = process.cpuUsage();
  const order = shuffleInPlace(
    Array.from({ length: images }, (_, i) => i),
    rngFor(seed, Stream.shuffle, epoch),
  );
  let lossSum = 0;
  const phase = { grads: 0, wait: 0, apply: 0 };
  const timed = <T>(k: keyof typeof phase, f: () => T): T => {
    const t0 = performance.now();
    const r = f();
    phase[k] += performance.now() - t0;
    return r;
  };
  for (let b = 0, start = 0; start < images; b++, start += batch) {
    const idx = order.slice(start, start + batch);
    const dropoutSeed = seedFor(seed, Stream.dropout, epoch, b);
    if (!link && !solo) {
      const labels = Int32Array.from(idx, (i) => data.labels[i]!);
      const r = trainer.trainStep(batchPixels(data, idx), labels, data.shape, dropoutSeed);
      lossSum += r.lossSum.dataSync()[0]!;
      tf.dispose([r.lossSum, r.correct]);
      continue;
    }
    const mine = idx.slice(rank * share, (rank + 1) * share);
    const labels = Int32Array.from(mine, (i) => data.labels[i]!);
    // Each replica's dropout differs from the others' (one process would draw one mask).
    const g = timed('grads', () =>
      trainer.localGrads(batchPixels(data, mine), labels, dropoutSeed + rank),
    );
    const w0 = performance.now();
    const avg = link ? (link.send(g), await link.next()) : g.subarray(2).with(0, g[1]!);
    phase.wait += performance.now() - w0;
    lossSum += avg[0]!;
    timed('apply', () => trainer.applyFlat(avg.subarray(1)));
  }
  const cpu = process.cpuUsage(c);
  out({
    type: 'epoch',
    epoch,
    wallS: (performance.now() - t) / 1000,
    cpuS: (cpu.user + cpu.system) / 1e6,
    loss: lossSum / images,
    phaseS: Object.fromEntries(Object.entries(phase).map(([k, v]) => [k, v / 1000])),
  });
}

const hash = createHash('sha256');
const weights = trainer.model.weights.map((w) => w.read().dataSync() as Float32Array);
for (const w of weights) hash.update(Buffer.from(w.buffer, w.byteOffset, w.byteLength));
const dump = scriptArg('dump', '');
if (dump) {
  const all = new Float32Array(weights.reduce((s, w) => s + w.length, 0));
  weights.reduce((at, w) => (all.set(w, at), at + w.length), 0);
  writeFileSync(dump, all);
}
out({ type: 'done', rank, hash: hash.digest('hex').slice(0, 16) });
link?.end();
trainer.dispose();
