/**
 * Retune's training loop (TransferTrainer.trainEpoch: one gradient pass, two optimizers) against
 * plain tfjs `model.fit` on the same transfer model, same batch size, same images, run
 * alternately so both see the same machine load. Prints images/s per repetition and the median
 * ratio. Not a test (timings are never asserted).
 *
 *   node --import tsx libs/trainer/src/bin/bench-step.ts [--net demo|mobilenet|efficientnet|both]
 *        [--reps 3] [--images 128] [--size 128] [--batch 32] [--augment none] [--bn train] [--profile]
 *        [--op-times] [--ab-grads]
 *
 * `demo`: the 2-block demo base at 28×28×1. `mobilenet`: a MobileNetV2 (α = 1, random weights)
 * at size×size×3 with a global-average-pooling head. `efficientnet`: the real
 * imagenet:efficientnet-lite0@size (converted on first use) with its in-graph preprocessing, as
 * a trial builds it (use --bn frozen, a pretrained base's default). Full fine-tuning.
 *
 * `--op-times`: one trainer step with every call into the native binding timed (./op-times.ts):
 * time inside TensorFlow kernels by op, against the step's wall time (the rest is JavaScript).
 * `--ab-grads`: instead of `model.fit`, the same trainer loop on tfjs's own gradients, against
 * the fused ones the trainer installs on tfjs-node (../native-grads.ts), alternately.
 */
import type { LayersModel, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { loadTf } from '../backend';
import { resolveBaseMeta } from '../base-meta';
import { loadBaseSpec } from '../bases/load-named';
import type { ImageDataset } from '../data/dataset';
import { buildBaseModel } from '../model';
import { parseParams } from '../params';
import { useFusedGradients } from '../native-grads';
import { TransferTrainer } from '../trainer';
import { timeBindingCalls } from './op-times';

const { tf, backend } = loadTf();

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

/** MobileNetV2's inverted residual blocks (t, c, n, s) with BatchNorm and ReLU6. */
function mobileNetV2(size: number, seed: number): LayersModel {
  const input = tf.input({ shape: [size, size, 3], name: 'mb_input' });
  let id = 0;
  const init = () => tf.initializers.heNormal({ seed: seed + id });
  const bnRelu = (x: SymbolicTensor, relu = true) => {
    let y = tf.layers.batchNormalization({ name: `mb_bn${id}` }).apply(x) as SymbolicTensor;
    if (relu) y = tf.layers.reLU({ maxValue: 6, name: `mb_relu${id}` }).apply(y) as SymbolicTensor;
    return y;
  };
  const conv = (x: SymbolicTensor, filters: number, k: number, strides = 1, relu = true) => {
    id++;
    const y = tf.layers
      .conv2d({
        name: `mb_conv${id}`,
        filters,
        kernelSize: k,
        strides,
        padding: 'same',
        useBias: false,
        kernelInitializer: init(),
      })
      .apply(x) as SymbolicTensor;
    return bnRelu(y, relu);
  };
  const depthwise = (x: SymbolicTensor, strides: number) => {
    id++;
    const y = tf.layers
      .depthwiseConv2d({
        name: `mb_dw${id}`,
        kernelSize: 3,
        strides,
        padding: 'same',
        useBias: false,
        depthwiseInitializer: init(),
      })
      .apply(x) as SymbolicTensor;
    return bnRelu(y);
  };
  let x = conv(input, 32, 3, 2);
  let channels = 32;
  const blocks: [number, number, number, number][] = [
    [1, 16, 1, 1],
    [6, 24, 2, 2],
    [6, 32, 3, 2],
    [6, 64, 4, 2],
    [6, 96, 3, 1],
    [6, 160, 3, 2],
    [6, 320, 1, 1],
  ];
  for (const [t, c, n, s] of blocks) {
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1;
      let y = t === 1 ? x : conv(x, channels * t, 1);
      y = depthwise(y, stride);
      y = conv(y, c, 1, 1, false);
      if (stride === 1 && c === channels) {
        y = tf.layers.add({ name: `mb_add${id}` }).apply([x, y]) as SymbolicTensor;
      }
      x = y;
      channels = c;
    }
  }
  x = conv(x, 1280, 1);
  return tf.model({ inputs: input, outputs: x, name: 'mobilenet_v2' });
}

function randomData(n: number, shape: [number, number, number], classes: number): ImageDataset {
  const size = shape[0] * shape[1] * shape[2];
  const images = new Uint8Array(n * size);
  for (let i = 0; i < images.length; i++) images[i] = (i * 2654435761) % 256;
  const labels = Int32Array.from({ length: n }, (_, i) => i % classes);
  return { images, labels, shape, classNames: Array.from({ length: classes }, (_, k) => `c${k}`) };
}

/** The real base's in-graph preprocessing, when bench() runs on one. */
let preprocessing: ReturnType<typeof resolveBaseMeta>['preprocessing'] | undefined;

function trainer(base: LayersModel, batch: number, augment: string, bnMode: string) {
  const { params } = parseParams({
    freezeDepth: 'full',
    batchSize: batch,
    augment,
    bnMode,
    dropout: 0.3,
  });
  return new TransferTrainer({ base, params, seed: 1, classes: 5, preprocessing });
}

const ab = process.argv.includes('--ab-grads');
const otherName = ab ? "tfjs's own gradients" : 'model.fit';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function bench(name: string, makeBase: () => LayersModel, data: ImageDataset): Promise<void> {
  const reps = Number(arg('reps', '3'));
  const batch = Number(arg('batch', '32'));
  const augment = arg('augment', 'none');
  const bnMode = arg('bn', 'train');
  const n = data.labels.length;
  const ours = trainer(makeBase(), batch, augment, bnMode);
  // model.fit gets its own identical model (same architecture, its own weights and optimizer).
  const other = trainer(makeBase(), batch, ab ? augment : 'none', bnMode);
  const fitModel = other.model;
  if (!ab) {
    fitModel.compile({
      optimizer: tf.train.adam(1e-3),
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy'],
    });
  }
  // The trainer's batches are float32 [0, 255] (batchPixels); model.fit gets the same pixels.
  const xs = tf.tensor4d(Float32Array.from(data.images), [n, ...data.shape]);
  const ys = tf.oneHot(tf.tensor1d(data.labels, 'int32'), 5);
  const ownGrads = (run: () => void) => {
    useFusedGradients(tf)();
    try {
      run();
    } finally {
      useFusedGradients(tf);
    }
  };
  let epoch = 0;
  const fit = async () => {
    if (ab) return ownGrads(() => void other.trainEpoch(data, ++epoch));
    const h = await fitModel.fit(xs, ys, {
      batchSize: batch,
      epochs: 1,
      shuffle: true,
      verbose: 0,
    });
    return h;
  };
  // The first batch alone, for the per-step profiles.
  const one = {
    ...data,
    images: data.images.subarray(0, (batch * xs.size) / n),
    labels: data.labels.subarray(0, batch),
  };
  // Warm-up: the first epoch of each builds kernels and optimizer slots.
  ours.trainEpoch(data, 0);
  await fit();
  if (process.argv.includes('--profile') && !ab) {
    // Kernels per step, and tensor memory, of one batch each way (tf.profile).
    const p1 = await tf.profile(() => void ours.trainEpoch(one, 99));
    const [x1, y1] = [xs.slice(0, batch), ys.slice(0, batch)];
    const p2 = await tf.profile(async () => {
      await fitModel.fit(x1, y1, { batchSize: batch, epochs: 1, verbose: 0 });
    });
    tf.dispose([x1, y1]);
    const mib = (b: number) => (b / 2 ** 20).toFixed(0);
    console.log(
      `${name}, one batch of ${batch}: retune ${p1.kernels.length} kernels, peak ${mib(p1.peakBytes)} MiB; ` +
        `model.fit ${p2.kernels.length} kernels, peak ${mib(p2.peakBytes)} MiB`,
    );
  }
  if (process.argv.includes('--op-times')) {
    for (const line of timeBindingCalls(tf, () => void ours.trainEpoch(one, 98))) {
      console.log(`${name}, one batch of ${batch}: ${line}`);
    }
    if (ab) {
      let lines: string[] = [];
      ownGrads(() => (lines = timeBindingCalls(tf, () => void other.trainEpoch(one, 98))));
      for (const line of lines)
        console.log(`${name}, one batch of ${batch}, ${otherName}: ${line}`);
    }
  }
  // Wall-clock rate, and the rate per CPU-second of this process (all its threads): the machine
  // is shared, and CPU time is much less sensitive to other processes than wall time.
  const rate = { ours: [] as number[], fit: [] as number[] };
  const cpuRate = { ours: [] as number[], fit: [] as number[] };
  const timed = async (key: 'ours' | 'fit', run: () => unknown) => {
    const t = performance.now();
    const c = process.cpuUsage();
    await run();
    const { user, system } = process.cpuUsage(c);
    rate[key].push(n / ((performance.now() - t) / 1000));
    cpuRate[key].push(n / ((user + system) / 1e6));
  };
  for (let r = 0; r < reps; r++) {
    // Alternate which goes first, so neither always runs right after the other's garbage.
    if (r % 2 === 0) {
      await timed('ours', () => ours.trainEpoch(data, r + 1));
      await timed('fit', fit);
    } else {
      await timed('fit', fit);
      await timed('ours', () => ours.trainEpoch(data, r + 1));
    }
    console.log(
      `${name} rep ${r + 1}: retune ${rate.ours.at(-1)!.toFixed(1)} img/s ` +
        `(${cpuRate.ours.at(-1)!.toFixed(1)} per CPU-s), ${otherName} ${rate.fit.at(-1)!.toFixed(1)} img/s ` +
        `(${cpuRate.fit.at(-1)!.toFixed(1)} per CPU-s)`,
    );
  }
  const [a, b] = [median(rate.ours), median(rate.fit)];
  const [ca, cb] = [median(cpuRate.ours), median(cpuRate.fit)];
  console.log(
    `${name} (${n} images [${data.shape.join('×')}], batch ${batch}, augment ${augment}, bnMode ${bnMode}, ${backend}): ` +
      `median retune ${a.toFixed(1)} img/s, ${otherName} ${b.toFixed(1)} img/s, ratio ${(a / b).toFixed(3)}; ` +
      `per CPU-second ${ca.toFixed(1)} vs ${cb.toFixed(1)}, ratio ${(ca / cb).toFixed(3)}`,
  );
  tf.dispose([xs, ys] as Tensor[]);
  ours.dispose();
  fitModel.dispose();
}

const net = arg('net', 'both');
if (net === 'demo' || net === 'both') {
  await bench(
    'demo base',
    () => buildBaseModel({ seed: 1 }),
    randomData(Number(arg('demo-images', '1024')), [28, 28, 1], 5),
  );
}
if (net === 'mobilenet' || net === 'both') {
  const size = Number(arg('size', '128'));
  await bench(
    'MobileNetV2',
    () => mobileNetV2(size, 1),
    randomData(Number(arg('images', '128')), [size, size, 3], 5),
  );
}
if (net === 'efficientnet') {
  const size = Number(arg('size', '128'));
  const name = `imagenet:efficientnet-lite0@${size}`;
  preprocessing = resolveBaseMeta(undefined, name, [size, size, 3]).preprocessing;
  // Two loads: the trainer and model.fit each get their own copy of the pretrained weights.
  const bases = [
    await loadBaseSpec(name, undefined, console.error, 1),
    await loadBaseSpec(name, undefined, console.error, 1),
  ];
  await bench(
    'EfficientNet-Lite0',
    () => bases.shift()!,
    randomData(Number(arg('images', '128')), [size, size, 3], 5),
  );
}
