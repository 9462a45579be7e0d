import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrainerInput } from '@retune/core';
import { createEmitter } from '../emit';
import { trainTrial } from '../run';
import { writeLabelsCsvFolder } from '../data/labels-csv-export';
import { loadMultiTaskDemo } from '../data/demo-multitask';
import { MISSING_LABEL } from '../data/multitask';

const tmp = mkdtempSync(join(tmpdir(), 'retune-multitask-run-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
async function trial(dataset: string, params: TrainerInput['params']) {
  const lines: string[] = [];
  const input: TrainerInput = {
    trialId: `mt${n}`,
    baseModel: 'demo:scratch',
    dataset,
    checkpointDir: join(tmp, `ck-${n++}`),
    seed: 5,
    device: { kind: 'cpu' },
    params: { epochs: 2, batchSize: 16, units: 8, trainPerClass: 3, valPerClass: 2, ...params },
  } as TrainerInput;
  const result = await trainTrial(
    input,
    createEmitter((l) => lines.push(l)),
    { backend: 'cpu' },
  );
  const metrics = lines.map((l) => JSON.parse(l)).filter((m) => m.type === 'metric');
  return { result, metrics };
}

describe('a multi-task trial', () => {
  it('reports per-task metrics every epoch and per-task bests at the end', async () => {
    const { result, metrics } = await trial('demo:mnist-multitask', {
      tasks: 'digit,parity',
      taskWeights: 0.5,
    });
    expect(metrics).toHaveLength(2);
    for (const m of metrics) {
      for (const k of ['val_acc_digit', 'val_loss_parity', 'loss_digit', 'task_weight_parity']) {
        expect(m.values[k]).toBeTypeOf('number');
      }
      expect(m.values['task_weight_parity']).toBe(0.5);
      expect(m.values['val_acc']).toBeCloseTo(
        (m.values['val_acc_digit'] + m.values['val_acc_parity']) / 2,
        5,
      );
    }
    expect(result.values['best_val_acc_digit']).toBeTypeOf('number');
    expect(result.values['best_val_acc_parity']).toBeTypeOf('number');
    expect(result.values['val_acc_class_0']).toBeTypeOf('number');
  });

  it('trains on an exported labels.csv folder with missing labels, and names unknown tasks', async () => {
    const split = loadMultiTaskDemo('demo:fashion-multitask', { trainPerClass: 3, valPerClass: 2 });
    // Every third image loses its item label, every fifth its group label.
    split.train.tasks![0]!.labels.forEach((_, i, a) => i % 3 === 0 && (a[i] = MISSING_LABEL));
    split.train.tasks![1]!.labels.forEach((_, i, a) => i % 5 === 0 && (a[i] = MISSING_LABEL));
    const dir = join(tmp, 'fashion-csv');
    await writeLabelsCsvFolder(dir, split);
    expect(readFileSync(join(dir, 'train', 'labels.csv'), 'utf8').split('\n')[0]).toBe(
      'file,item,group',
    );
    const { metrics } = await trial(dir, { tasks: 'group,item', epochs: 1 });
    expect(metrics[0].values['val_acc_group']).toBeTypeOf('number');
    await expect(trial(dir, { tasks: 'item,colour' })).rejects.toThrow(
      /params\.tasks: .* has no task "colour" \(its tasks: item, group\)/,
    );
    await expect(trial(dir, {})).rejects.toThrow(/params\.tasks: .* several labels per image/);
    await expect(trial('demo:mnist-5-9', { tasks: 'digit' })).rejects.toThrow(
      /params\.tasks: demo:mnist-5-9 has one label per image/,
    );
  });
});
