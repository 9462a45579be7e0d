import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tensor } from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { batchTensor, indexRange } from '../data/batch';
import { loadMultiTaskDemo } from '../data/demo-multitask';
import { selectTasks } from '../data/multitask';
import { buildBaseModel, loadModel, saveModel } from '../model';
import { parseParams } from '../params';
import { allValues, maxAbsDiff, tf } from '../test-support/fixtures';
import { MultiTaskTrainer } from './trainer';
import { taskHeads } from './values';

const tmp = mkdtempSync(join(tmpdir(), 'retune-multitask-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// digit (10 classes) + parity: 4 train / 3 val images per digit.
const data = loadMultiTaskDemo('demo:mnist-multitask', { trainPerClass: 4, valPerClass: 3 });

function makeTrainer(params: Record<string, string | number> = {}, seed = 3) {
  const parsed = parseParams({ tasks: 'digit,parity', batchSize: 16, units: 8, ...params }).params;
  return new MultiTaskTrainer({
    base: buildBaseModel({ seed }),
    params: parsed,
    seed,
    classes: 10,
    multiTask: parsed.multiTask!,
    heads: taskHeads(data.train),
  });
}

const values = (vars: { read(): Tensor }[]) =>
  vars.map((w) => Float32Array.from(w.read().dataSync() as Float32Array));

// The demo base: conv1, bn1, conv2, bn2 have weights (4 freeze units).
describe('hard sharing', () => {
  it('shares exactly shareDepth layers: same objects before the split, copies after', () => {
    const t = makeTrainer({ shareDepth: 2, freezeDepth: 'full' });
    const [a, b] = t.mtm.paths;
    const names = (layers: { name: string }[]) => layers.map((l) => l.name);
    expect(names(t.mtm.shared)).toEqual(['base_conv1', 'base_bn1', 'base_relu1', 'base_pool1']);
    expect(names(t.mtm.towers[1]!)).toEqual(
      ['base_conv2', 'base_bn2', 'base_relu2', 'base_pool2', 'base_flatten'].map(
        (n) => `${n}__parity`,
      ),
    );
    a!.baseLayers.forEach((l, i) => {
      if (i < 4) expect(b!.baseLayers[i]).toBe(l);
      else expect(b!.baseLayers[i]).not.toBe(l);
    });
    // Towers start from the same (pretrained) weights and learn apart.
    const tower = (i: number) => values(t.mtm.towers[i]!.flatMap((l) => l.weights));
    expect(maxAbsDiff(tower(0), tower(1))).toBe(0);
    t.trainEpoch(data.train, 0);
    expect(maxAbsDiff(tower(0), tower(1))).toBeGreaterThan(0);
    expect(t.model.outputs.map((o) => o.shape)).toEqual([
      [null, 10],
      [null, 2],
    ]);
    t.dispose();
  });

  it('shares the whole base by default (no towers) and refuses a shareDepth past it', () => {
    const t = makeTrainer();
    expect(t.mtm.towers.every((tw) => tw.length === 0)).toBe(true);
    expect(t.mtm.shared).toHaveLength(t.mtm.paths[0]!.baseLayers.length);
    t.dispose();
    expect(() => makeTrainer({ shareDepth: 5 })).toThrow(/params\.shareDepth: 5 is outside 0\.\.4/);
    expect(() => makeTrainer({ sharing: 'soft', shareDepth: 4 })).toThrow(
      /params\.sharing: soft sharing needs towers/,
    );
  });

  it('freezes the same units along every path (trunk and each tower copy)', () => {
    const t = makeTrainer({ shareDepth: 1, freezeDepth: 3 });
    for (const path of t.mtm.paths) {
      const units = path.baseLayers.filter((l) => l.weights.length > 0);
      expect(units.map((l) => l.trainable)).toEqual([false, false, false, true]);
    }
    expect(t.freezeReport!.frozen).toContain('base_conv2__parity');
    t.dispose();
  });
});

describe('soft sharing', () => {
  it('a larger penalty keeps the towers closer', () => {
    const distance = (softPenalty: number) => {
      const t = makeTrainer({
        shareDepth: 2,
        freezeDepth: 'full',
        sharing: 'soft',
        softPenalty,
        headLr: 0.01,
        baseLr: 0.01,
      });
      for (let e = 0; e < 2; e++) t.trainEpoch(data.train, e);
      const tower = (i: number) => values(t.mtm.towers[i]!.flatMap((l) => l.trainableWeights));
      const [a, b] = [tower(0), tower(1)];
      const d = a.reduce(
        (s, arr, i) => s + arr.reduce((x, v, j) => x + (v - b[i]![j]!) ** 2, 0),
        0,
      );
      t.dispose();
      return d;
    };
    const none = distance(0);
    const strong = distance(10);
    expect(none).toBeGreaterThan(0);
    expect(strong).toBeLessThan(none / 2);
  });
});

describe('training and metrics', () => {
  it('reports per-task metrics and the effective weights, learning the log-variances with auto', () => {
    const t = makeTrainer({ taskWeights: 'auto', headLr: 0.05 });
    const m = t.trainEpoch(data.train, 0);
    const v = t.evaluate(data.val);
    expect(Object.keys(m.extra!).sort()).toEqual([
      'loss_digit',
      'loss_parity',
      'task_weight_digit',
      'task_weight_parity',
    ]);
    expect(m.extra!['task_weight_digit']).not.toBe(1);
    const [wd, wp] = t.taskWeights();
    expect(v.loss).toBeCloseTo(
      wd! * v.extra!['val_loss_digit']! + wp! * v.extra!['val_loss_parity']!,
      4,
    );
    expect(v.acc).toBeCloseTo((v.extra!['val_acc_digit']! + v.extra!['val_acc_parity']!) / 2, 6);
    expect(v.perClass).toHaveLength(10);
    t.dispose();
  });

  it('trains a single task of a multi-task dataset (one head, one output)', () => {
    const parsed = parseParams({ tasks: 'parity', batchSize: 16, units: 8 }).params;
    const t = new MultiTaskTrainer({
      base: buildBaseModel({ seed: 1 }),
      params: parsed,
      seed: 1,
      classes: 2,
      multiTask: parsed.multiTask!,
      heads: [{ task: 'parity', classes: 2 }],
    });
    const parity = selectTasks(data.train, ['parity'], 'demo');
    expect(Object.keys(t.trainEpoch(parity, 0).extra!)).toEqual([
      'loss_parity',
      'task_weight_parity',
    ]);
    expect(
      t.evaluate(selectTasks(data.val, ['parity'], 'demo')).extra!['val_acc_parity'],
    ).toBeTypeOf('number');
    t.dispose();
  });

  it('tf.memory().numTensors stays flat across epochs, evaluation and checkpoints', async () => {
    const t = makeTrainer({
      shareDepth: 2,
      sharing: 'soft',
      taskWeights: 'auto',
      augment: 'light',
      freezeDepth: 1,
    });
    const counts: number[] = [];
    for (let e = 0; e < 3; e++) {
      t.trainEpoch(data.train, e);
      t.evaluate(data.val);
      await t.saveCheckpoint(join(tmp, `mem-${e}`), { epoch: e, history: [] });
      counts.push(tf.memory().numTensors);
    }
    expect(counts.every((c) => c === counts[0])).toBe(true);
    t.dispose();
  });
});

describe('multi-task checkpoints', () => {
  const params = {
    shareDepth: 2,
    taskWeights: 'auto',
    sharing: 'soft',
    softPenalty: 0.1,
    dropout: 0.3,
    augment: 'light',
    freezeDepth: 3,
    unfreezeEvery: 2,
    unfreezeLayers: 2,
  };

  it('3 epochs straight equal 2 + checkpoint + resume for 1 (all heads, towers, log-variances)', async () => {
    const straight = makeTrainer(params);
    let last;
    for (let e = 0; e < 3; e++) {
      straight.setEpoch(e);
      last = { ...straight.trainEpoch(data.train, e), val: straight.evaluate(data.val) };
    }
    const first = makeTrainer(params);
    for (let e = 0; e < 2; e++) {
      first.setEpoch(e);
      first.trainEpoch(data.train, e);
    }
    const dir = join(tmp, 'ckpt');
    await first.saveCheckpoint(dir, { epoch: 1, history: [] });
    first.dispose();
    const resumed = makeTrainer(params);
    await resumed.restoreCheckpoint(dir);
    resumed.setEpoch(2);
    const m = { ...resumed.trainEpoch(data.train, 2), val: resumed.evaluate(data.val) };
    const a = allValues(straight.model);
    const b = allValues(resumed.model);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, v] of a) expect(maxAbsDiff(v, b.get(name)!)).toBeLessThanOrEqual(1e-6);
    expect(resumed.taskWeights()).toEqual(straight.taskWeights());
    expect(Math.abs(m.loss - last!.loss)).toBeLessThanOrEqual(1e-6);
    for (const [k, v] of Object.entries(last!.val.extra!)) {
      expect(Math.abs(m.val.extra![k]! - v)).toBeLessThanOrEqual(1e-6);
    }
    straight.dispose();
    resumed.dispose();
  });

  it('a trained multi-task model round-trips through model.json + weights.bin', async () => {
    const t = makeTrainer({ shareDepth: 2 });
    t.trainEpoch(data.train, 0);
    const path = await saveModel(t.model, join(tmp, 'roundtrip'));
    const loaded = await loadModel(path);
    const x = batchTensor(data.val, indexRange(0, 8));
    const before = t.model.predict(x) as Tensor[];
    const after = loaded.predict(x) as Tensor[];
    expect(after).toHaveLength(2);
    before.forEach((p, i) => {
      expect(
        maxAbsDiff([p.dataSync() as Float32Array], [after[i]!.dataSync() as Float32Array]),
      ).toBeLessThan(1e-6);
    });
    tf.dispose([x, ...before, ...after]);
    loaded.dispose();
    t.dispose();
  });
});
