import { imageSize, type ImageDataset, type TaskLabels } from './dataset';
import {
  DEMO_DATASETS,
  isDemoDataset,
  loadDemoSpec,
  type DemoDatasetOptions,
  type DemoSpec,
} from './demo';
import { withTasks } from './multitask';

/**
 * Multi-task demo datasets (docs/multitask.md): all ten classes of a demo source as the first
 * task, plus a second label derived from the class (fashion `group`, MNIST `parity`) or from the
 * pixels (MNIST `ink`, a task less related to the digit). trainPerClass counts images per class
 * of the first task (default 20: few images, where sharing should help).
 */
interface DerivedTask {
  name: string;
  /** Sorted, as a labels.csv's class names are, so an export re-imports with the same labels. */
  classNames: string[];
  /** The label of image `i` of class `k`; `ink` needs the images themselves. */
  label: (k: number, i: number, images: ImageDataset, threshold: number) => number;
}

interface MultiTaskDemo {
  spec: DemoSpec;
  first: string;
  derived: DerivedTask;
}

const ALL = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
/** Fashion-MNIST classes by index: sandal 5, sneaker 7, ankle-boot 9 are footwear; bag 8. */
const GROUP = ['bag', 'clothing', 'footwear'];
const groupOf = (k: number) => (k === 8 ? 0 : [5, 7, 9].includes(k) ? 2 : 1);

const inkOf = (ds: ImageDataset, i: number) => {
  const size = imageSize(ds);
  let sum = 0;
  for (const v of ds.images.subarray(i * size, (i + 1) * size)) sum += v;
  return sum;
};

const MULTITASK_DEMOS: Record<string, MultiTaskDemo> = {
  'demo:fashion-multitask': {
    spec: { source: 'fashion', classes: ALL, train: 20 },
    first: 'item',
    derived: { name: 'group', classNames: GROUP, label: groupOf },
  },
  'demo:mnist-multitask': {
    spec: { source: 'mnist', classes: ALL, train: 20 },
    first: 'digit',
    derived: { name: 'parity', classNames: ['even', 'odd'], label: (k) => k % 2 },
  },
  'demo:mnist-unrelated': {
    spec: { source: 'mnist', classes: ALL, train: 20 },
    first: 'digit',
    derived: {
      name: 'ink',
      classNames: ['heavy', 'light'],
      label: (_k, i, ds, threshold) => (inkOf(ds, i) > threshold ? 0 : 1),
    },
  },
};

export const MULTITASK_DEMO_DATASETS = Object.keys(MULTITASK_DEMOS);
/** Every demo dataset name, single- and multi-task. */
export const ALL_DEMO_DATASETS: readonly string[] = [...DEMO_DATASETS, ...MULTITASK_DEMO_DATASETS];

export const isMultiTaskDemo = (name: string) => Object.hasOwn(MULTITASK_DEMOS, name);
export const isKnownDemoDataset = (name: string) => isDemoDataset(name) || isMultiTaskDemo(name);

/** The task names of a multi-task demo (undefined for other names). */
export function multiTaskDemoTasks(name: string): string[] | undefined {
  const d = MULTITASK_DEMOS[name];
  return d && [d.first, d.derived.name];
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? 0 : (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
}

/** A multi-task demo's train/val splits, each carrying both tasks' labels. */
export function loadMultiTaskDemo(
  name: string,
  opts: DemoDatasetOptions = {},
): { train: ImageDataset; val: ImageDataset } {
  const demo = MULTITASK_DEMOS[name];
  if (!demo) {
    throw new Error(`unknown dataset "${name}" (known: ${ALL_DEMO_DATASETS.join(', ')})`);
  }
  const { train, val } = loadDemoSpec(name, demo.spec, opts);
  // The ink threshold is the median over the whole selection, so both splits share it.
  const ink = [train, val].flatMap((ds) => Array.from(ds.labels, (_, i) => inkOf(ds, i)));
  const threshold = median(ink);
  const tasksOf = (ds: ImageDataset): TaskLabels[] => [
    { name: demo.first, classNames: ds.classNames, labels: Int32Array.from(ds.labels) },
    {
      name: demo.derived.name,
      classNames: demo.derived.classNames,
      labels: Int32Array.from(ds.labels, (k, i) => demo.derived.label(k, i, ds, threshold)),
    },
  ];
  return { train: withTasks(train, tasksOf(train)), val: withTasks(val, tasksOf(val)) };
}
