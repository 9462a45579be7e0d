import type { HoldoutScores, HoldoutScoreInput } from '@retune/core';

type Trainer = typeof import('@retune/trainer');
type Model = Awaited<ReturnType<Trainer['loadModel']>>;
type Dataset = NonNullable<Awaited<ReturnType<Trainer['loadTrialDataset']>>['test']>;

/**
 * Share of holdout images whose arg-max prediction is their label; for a multi-task model, its
 * first (primary) task over the images labelled for it.
 */
function accuracy(t: Trainer, model: Model, data: Dataset, batchSize = 256): number {
  const tf = t.tfjs();
  const n = data.labels.length;
  let correct = 0;
  let labelled = 0;
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const pred = tf.tidy(() => {
      const xs = t.modelInputBatch(model, data, start, end);
      const out = model.predict(xs) as
        ReturnType<typeof tf.tensor> | ReturnType<typeof tf.tensor>[];
      return (Array.isArray(out) ? out[0]! : out).argMax(-1).dataSync();
    });
    for (let i = 0; i < pred.length; i++) {
      const label = data.labels[start + i]!;
      if (label === t.MISSING_LABEL) continue;
      labelled++;
      if (pred[i] === label) correct++;
    }
  }
  return correct / labelled;
}

/**
 * Scores the saved candidate and champion tfjs models on one holdout of the dataset: its
 * `test/` split when it has one, else the validation split (the default split parameters, so
 * both models see exactly the same images). TensorFlow.js is loaded only when this runs.
 */
export async function scoreOnHoldout(input: HoldoutScoreInput): Promise<HoldoutScores> {
  const t: Trainer = await import('@retune/trainer');
  t.loadTf();
  const candidate = await t.loadModel(input.candidateArtifact);
  const champion = await t.loadModel(input.championArtifact);
  try {
    // A multi-task model's outputs name its tasks; its dataset is loaded with the same ones.
    const tasks = t.modelTasks(candidate);
    const params = t.parseParams(tasks.length > 0 ? { tasks: tasks.join(',') } : {}).params;
    const data = await t.loadTrialDataset(input.dataset, params, {
      imageShape: t.baseImageShape(candidate, input.candidateArtifact),
    });
    const holdout = data.test ?? data.val;
    return {
      candidate: accuracy(t, candidate, holdout),
      champion: accuracy(t, champion, holdout),
      split: data.test ? 'test' : 'val',
      images: holdout.labels.length,
    };
  } finally {
    candidate.dispose();
    champion.dispose();
  }
}

/** Activities that need TensorFlow.js; they run on the GPU queue, next to the trainers. */
export function createHoldoutActivities() {
  return { scoreOnHoldout };
}

export type HoldoutActivities = ReturnType<typeof createHoldoutActivities>;
