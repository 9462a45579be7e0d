import { parseSweepSpec } from '@retune/core';
import type { Repositories } from '@retune/db';

/**
 * Stores a finished sweep with `trials` trials of `epochs` epochs each (val_acc and val_loss per
 * epoch), as the workflow and activities would have, for read-side tests and benchmarks.
 */
export async function seedFinishedSweep(
  repos: Repositories,
  opts: { id: string; name?: string; trials: number; epochs: number },
): Promise<{ sweepId: string; trialIds: string[] }> {
  const spec = parseSweepSpec({
    name: opts.name ?? `seeded ${opts.id}`,
    dataset: 'demo:mnist-5-9',
    baseModel: 'demo:mnist-0-4-cnn',
    trainer: { name: 'synthetic' },
    algorithm: 'random',
    maxTrials: opts.trials,
    searchSpace: {
      headLr: { type: 'loguniform', min: 1e-4, max: 1e-1 },
      freezeDepth: { type: 'int', min: 0, max: 6 },
    },
  });
  await repos.sweeps.create({ id: opts.id, name: spec.name, spec, plannedTrials: opts.trials });
  const planned = Array.from({ length: opts.trials }, (_, i) => ({
    trialId: `${opts.id}-t${i}`,
    number: i,
    params: { headLr: 10 ** (-4 + (3 * i) / Math.max(opts.trials, 1)), freezeDepth: i % 7 },
  }));
  await repos.sweeps.markRunning(opts.id);
  await repos.trials.ensure(opts.id, planned);
  for (const [i, t] of planned.entries()) {
    await repos.trials.markRunning(t.trialId, { worker: 'w1', slot: i % 2, attempt: 1 });
    const acc = (e: number) => 0.5 + (0.4 * (e + 1)) / opts.epochs - i * 1e-4;
    await repos.metrics.write(
      t.trialId,
      Array.from({ length: opts.epochs }, (_, e) => [
        { epoch: e, step: e, name: 'val_acc', value: acc(e) },
        { epoch: e, step: e, name: 'val_loss', value: 1 - acc(e) },
      ]).flat(),
    );
    await repos.trials.finish(t.trialId, {
      status: i % 5 === 4 ? 'pruned' : 'completed',
      objective: acc(opts.epochs - 1),
      values: {
        val_acc: acc(opts.epochs - 1),
        val_loss: 1 - acc(opts.epochs - 1),
        val_acc_class_5: 0.9,
        val_acc_class_6: 0.8,
      },
      artifact: `/tmp/ckpt/${t.trialId}/model.json`,
    });
  }
  const best = planned[0]!.trialId;
  await repos.sweeps.finish(opts.id, {
    status: 'completed',
    bestTrialId: best,
    bestValue: 0.9,
  });
  return { sweepId: opts.id, trialIds: planned.map((p) => p.trialId) };
}
