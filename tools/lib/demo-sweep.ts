import type { SweepSpecInput } from '@retune/core';

/**
 * The task of the first run's demo sweep: a real pretrained base fine-tuned on a real dataset.
 * Switch both here (e.g. to an ImageNet base and its dataset once they are registered).
 */
export const DEMO_TASK = { baseModel: 'demo:mnist-0-4-cnn', dataset: 'demo:mnist-5-9' } as const;

/**
 * The sweep `npm start` launches on an empty database: the tfjs trainer fine-tunes the CNN
 * pretrained on digits 0–4 to digits 5–9, comparing freeze strategies at two data sizes, so
 * a newcomer sees real transfer learning in the dashboard. Six short trials, two at a time:
 * about a minute on 2 cores (the first trial also pretrains the base, once, in seconds).
 */
export const DEMO_SWEEP: SweepSpecInput = {
  name: 'demo · fine-tune a digit CNN to new digits',
  ...DEMO_TASK,
  trainer: { name: 'tfjs' },
  metric: { name: 'val_acc', goal: 'maximize' },
  algorithm: 'grid',
  maxParallel: 2,
  seed: 7,
  fixed: { epochs: 6, batchSize: 16, headLr: 0.01, valPerClass: 30 },
  searchSpace: {
    freezeDepth: { type: 'choice', values: ['feature-extraction', 'partial', 'full'] },
    trainPerClass: { type: 'choice', values: [10, 40] },
  },
};
