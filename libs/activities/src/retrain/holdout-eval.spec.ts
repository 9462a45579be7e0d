import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scoreOnHoldout } from './holdout-eval';

// Loaded lazily, as holdout-eval.ts does (a static import would load TensorFlow.js everywhere).
const { loadTf, loadTrialDataset, parseParams, saveModel } = await import('@retune/trainer');
const { tf } = loadTf();

/** A model that answers `label` for every image: its accuracy is that label's share. */
async function constantModel(label: number, classes = 5): Promise<string> {
  const bias = Array.from({ length: classes }, (_, i) => (i === label ? 10 : 0));
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({
        units: classes,
        activation: 'softmax',
        weights: [tf.zeros([28 * 28, classes]), tf.tensor1d(bias)],
      }),
    ],
  });
  const path = await saveModel(model, mkdtempSync(join(tmpdir(), `retune-model-${label}-`)));
  model.dispose();
  return path;
}

describe('scoreOnHoldout', () => {
  it('scores both saved models on the same holdout images', async () => {
    const candidate = await constantModel(0);
    const champion = await constantModel(3);
    const scores = await scoreOnHoldout({
      dataset: 'demo:mnist-5-9',
      candidateArtifact: candidate,
      championArtifact: champion,
    });

    const { val } = await loadTrialDataset('demo:mnist-5-9', parseParams({}).params, {
      imageShape: [28, 28, 1],
    });
    const share = (k: number) => val.labels.filter((l) => l === k).length / val.labels.length;
    expect(scores).toEqual({
      candidate: share(0),
      champion: share(3),
      split: 'val',
      images: val.labels.length,
    });
    expect(scores.images).toBeGreaterThan(0);
  }, 120_000);

  it('scores a multi-task model on its first task, loading the labels its heads name', async () => {
    const input = tf.input({ shape: [28, 28, 1] });
    const flat = tf.layers.flatten().apply(input) as ReturnType<typeof tf.input>;
    const head = (name: string, classes: number, label: number) =>
      tf.layers
        .dense({
          name,
          units: classes,
          activation: 'softmax',
          weights: [
            tf.zeros([28 * 28, classes]),
            tf.tensor1d(Array.from({ length: classes }, (_, i) => (i === label ? 10 : 0))),
          ],
        })
        .apply(flat) as ReturnType<typeof tf.input>;
    const model = tf.model({
      inputs: input,
      outputs: [head('head_digit_out', 10, 4), head('head_parity_out', 2, 1)],
    });
    const path = await saveModel(model, mkdtempSync(join(tmpdir(), 'retune-model-mt-')));
    model.dispose();
    const scores = await scoreOnHoldout({
      dataset: 'demo:mnist-multitask',
      candidateArtifact: path,
      championArtifact: path,
    });
    // Every digit class has valPerClass images: answering 4 is right for a tenth of them.
    expect(scores.candidate).toBeCloseTo(0.1, 6);
    expect(scores.split).toBe('val');
  }, 120_000);

  it('fails clearly when a model is missing', async () => {
    await expect(
      scoreOnHoldout({
        dataset: 'demo:mnist-5-9',
        candidateArtifact: '/nonexistent/model.json',
        championArtifact: '/nonexistent/model.json',
      }),
    ).rejects.toThrow(/not found/);
  });
});
