/**
 * Child process of bench/trainer.ts: the trainer's start-up phases, each timed, then the same
 * network the tfjs trainer builds (TransferTrainer: base + head, freezeDepth applied) trained
 * with plain tfjs `model.fit` (one Adam, no per-batch host work) — the reference the trainer's
 * loop is held to. Reads a trainer input JSON; prints one JSON line on stdout:
 *
 *   {"startup": {"processS", "tfS", "baseS", "dataS"}, "images": N, "epochS": [s, …],
 *    "epochCpuS": [CPU s, …]}
 *
 * processS is from BENCH_SPAWN_MS (the parent's Date.now() at spawn) to this module's first
 * line: Node start, tsx and module loading.
 */
import { readFileSync } from 'node:fs';
import { trainerInputSchema } from '@retune/core';
import {
  baseImageShape,
  batchPixels,
  loadBaseSpec,
  loadTf,
  loadTrialDataset,
  parseParams,
  trialTrainer,
} from '@retune/trainer';

// Static imports are evaluated before this line; tfjs-node itself is loaded by loadTf below.
const processS = (Date.now() - Number(process.env['BENCH_SPAWN_MS'] ?? Date.now())) / 1000;

const timed = async <T>(fn: () => T | Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const value = await fn();
  return [value, (performance.now() - started) / 1000];
};

const input = trainerInputSchema.parse(JSON.parse(readFileSync(process.argv[2]!, 'utf8')));
const { params } = parseParams(input.params);
const [loaded, tfS] = await timed(() => loadTf());
const log = (msg: string) => console.error(msg);
const [base, baseS] = await timed(() => loadBaseSpec(input.baseModel, undefined, log, input.seed));
const [data, dataS] = await timed(() =>
  loadTrialDataset(input.dataset, params, {
    imageShape: baseImageShape(base, input.baseModel),
    warn: log,
  }),
);
const tf = loaded.tf;
const { train } = data;
// The trainer runTrial builds, so model.fit times the same network.
const { trainer } = trialTrainer(input, params, base, train);

const n = train.labels.length;
const [h, w, c] = train.shape;
// The whole epoch as one tensor, scaled as the trainer's batches are: fit slices it itself.
const pixels = batchPixels(
  train,
  Array.from({ length: n }, (_, i) => i),
);
const xs = tf.tensor4d(pixels, [n, h, w, c]);
const ys = tf.oneHot(tf.tensor1d(train.labels, 'int32'), train.classNames.length);
trainer.model.compile({
  optimizer: tf.train.adam(params.headLr),
  loss: 'categoricalCrossentropy',
  metrics: ['accuracy'],
});
const ends: number[] = [performance.now()];
// CPU seconds of the whole process (TensorFlow's threads too) at each epoch end.
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const cpuEnds: number[] = [cpuSeconds()];
await trainer.model.fit(xs, ys, {
  batchSize: params.batchSize,
  epochs: params.epochs,
  shuffle: true,
  verbose: 0,
  callbacks: {
    onEpochEnd: async () => {
      ends.push(performance.now());
      cpuEnds.push(cpuSeconds());
    },
  },
});
const epochS = ends.slice(1).map((t, i) => (t - ends[i]!) / 1000);
const epochCpuS = cpuEnds.slice(1).map((t, i) => t - cpuEnds[i]!);
console.log(
  JSON.stringify({ startup: { processS, tfS, baseS, dataS }, images: n, epochS, epochCpuS }),
);
