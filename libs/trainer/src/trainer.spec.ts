import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Tensor } from '@tensorflow/tfjs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as augment from './augment';
import { batchTensor, indexRange } from './data/batch';
import { buildBaseModel, loadBaseModel, loadModel, saveModel } from './model';
import {
  allValues,
  layerValues,
  makeTrainer,
  maxAbsDiff,
  meanAbsDiff,
  smallData,
  tf,
} from './test-support/fixtures';

vi.mock('./augment', async (importOriginal) => {
  const mod = await importOriginal<typeof import('./augment')>();
  return { ...mod, augmentBatch: vi.fn(mod.augmentBatch) };
});

const tmp = mkdtempSync(join(tmpdir(), 'retune-trainer-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const data = smallData();

const trainableValues = (t: ReturnType<typeof makeTrainer>, group: 'base' | 'head') =>
  (group === 'base' ? t.tm.baseLayers : t.tm.headLayers).flatMap((l) =>
    l.trainableWeights.map((w) => Float32Array.from(w.read().dataSync() as Float32Array)),
  );

describe('discriminative learning rates', () => {
  for (const optimizer of ['adam', 'sgd'] as const) {
    it(`${optimizer}: base weights move far less than head weights when baseLr ≪ headLr`, () => {
      const run = (baseLr: number) => {
        const t = makeTrainer({ optimizer, freezeDepth: 'full', headLr: 0.01, baseLr, dropout: 0 });
        const base0 = trainableValues(t, 'base');
        const head0 = trainableValues(t, 'head');
        t.trainEpoch(data.train, 0);
        const r = {
          base: meanAbsDiff(trainableValues(t, 'base'), base0),
          head: meanAbsDiff(trainableValues(t, 'head'), head0),
        };
        t.dispose();
        return r;
      };
      const slow = run(1e-5);
      const same = run(1e-2);
      expect(slow.base).toBeGreaterThan(0);
      expect(slow.base).toBeLessThan(slow.head / 50);
      // Same data, same seed: only baseLr differs, and the base moves ≥ 100× more with it.
      expect(same.base).toBeGreaterThan(slow.base * 100);
      expect(slow.head).toBeGreaterThan(0);
    });
  }
});

describe('augmentation is applied to training batches only', () => {
  it('trainEpoch augments every batch, evaluate never does', () => {
    const spy = vi.mocked(augment.augmentBatch);
    const t = makeTrainer({ augment: 'heavy' });
    spy.mockClear();
    t.evaluate(data.val);
    expect(spy).not.toHaveBeenCalled();
    t.trainEpoch(data.train, 0);
    expect(spy).toHaveBeenCalledTimes(Math.ceil(data.train.labels.length / 16));
    // Augmentation sees the model's [0, 255] pixels; preprocessing comes after, in the graph.
    const [pixels, , , , , max] = spy.mock.calls[0]!;
    expect(max).toBe(255);
    expect(Math.max(...pixels)).toBeGreaterThan(1);
    spy.mockClear();
    t.evaluate(data.val);
    expect(spy).not.toHaveBeenCalled();
    t.dispose();
  });

  it('validation metrics do not depend on augmentation strength (same weights)', () => {
    const none = makeTrainer({ augment: 'none' });
    const heavy = makeTrainer({ augment: 'heavy', augFlip: 0.5 });
    expect(heavy.evaluate(data.val)).toEqual(none.evaluate(data.val));
    none.dispose();
    heavy.dispose();
  });
});

describe('memory', () => {
  const countsPerEpoch = async (params: Record<string, string | number>) => {
    const t = makeTrainer(params);
    const counts: number[] = [];
    for (let e = 0; e < 4; e++) {
      t.setEpoch(e);
      t.trainEpoch(data.train, e);
      t.evaluate(data.val);
      await t.saveCheckpoint(join(tmp, 'mem'), { epoch: e, history: [] });
      counts.push(tf.memory().numTensors);
    }
    t.dispose();
    return counts;
  };

  it('tf.memory().numTensors does not grow across epochs, evaluation and checkpoints', async () => {
    const counts = await countsPerEpoch({ augment: 'light', freezeDepth: 2 });
    expect(counts.every((c) => c === counts[0])).toBe(true);
  });

  it('stays flat after a gradual-unfreezing step added optimizer slots', async () => {
    const counts = await countsPerEpoch({ freezeDepth: 2, unfreezeEvery: 2, unfreezeLayers: 2 });
    expect(counts[1]).toBe(counts[0]);
    expect(counts[3]).toBe(counts[2]);
  });
});

describe('checkpoint and resume', () => {
  // Adam, dropout, augmentation and an unfreezing step at epoch 2 (right after the resume point);
  // bn2 trains (and has Adam state) from the start.
  const params = {
    optimizer: 'adam',
    headLr: 0.005,
    baseLr: 0.001,
    dropout: 0.3,
    augment: 'light',
    freezeDepth: 3,
    unfreezeEvery: 2,
    unfreezeLayers: 2,
  } as const;

  it('3 epochs straight equal 2 epochs + checkpoint + resume for 1 (weights and metrics)', async () => {
    const straight = makeTrainer(params);
    const straightMetrics = [];
    for (let e = 0; e < 3; e++) {
      straight.setEpoch(e);
      straightMetrics.push({
        ...straight.trainEpoch(data.train, e),
        val: straight.evaluate(data.val),
      });
    }

    const first = makeTrainer(params);
    for (let e = 0; e < 2; e++) {
      first.setEpoch(e);
      first.trainEpoch(data.train, e);
    }
    const dir = join(tmp, 'ckpt-epoch-1');
    await first.saveCheckpoint(dir, { epoch: 1, history: [] });
    first.dispose();

    const resumed = makeTrainer(params);
    const state = await resumed.restoreCheckpoint(dir);
    expect(state.epoch).toBe(1);
    resumed.setEpoch(2);
    const m = { ...resumed.trainEpoch(data.train, 2), val: resumed.evaluate(data.val) };

    expect(resumed.frozenCount).toBe(straight.frozenCount);
    const a = allValues(straight.model);
    const b = allValues(resumed.model);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, values] of a)
      expect(maxAbsDiff(values, b.get(name)!)).toBeLessThanOrEqual(1e-6);
    const s2 = straightMetrics[2]!;
    expect(Math.abs(m.loss - s2.loss)).toBeLessThanOrEqual(1e-6);
    expect(m.acc).toBe(s2.acc);
    expect(Math.abs(m.val.loss - s2.val.loss)).toBeLessThanOrEqual(1e-6);
    expect(m.val.acc).toBe(s2.val.acc);
    straight.dispose();
    resumed.dispose();
  });

  const straightRun = (epochs: number) => {
    const t = makeTrainer(params);
    for (let e = 0; e < epochs; e++) {
      t.setEpoch(e);
      t.trainEpoch(data.train, e);
    }
    return t;
  };

  it('resumed in the middle of a freeze phase, it continues exactly through the next unfreeze', async () => {
    const straight = straightRun(4);
    const first = straightRun(1); // epoch 0 of the phase epochs 0–1
    const dir = join(tmp, 'ckpt-mid-phase');
    await first.saveCheckpoint(dir, { epoch: 0, history: [] });
    first.dispose();
    const resumed = makeTrainer(params);
    await resumed.restoreCheckpoint(dir);
    for (let e = 1; e < 4; e++) {
      resumed.setEpoch(e);
      resumed.trainEpoch(data.train, e);
    }
    const a = allValues(straight.model);
    const b = allValues(resumed.model);
    for (const [name, values] of a)
      expect(maxAbsDiff(values, b.get(name)!)).toBeLessThanOrEqual(1e-6);
    // Same optimizer state, slot by slot (engine names differ between trainers).
    const slots = async (t: typeof straight) =>
      (await t.optimizerWeights('base')).map((w) => Float32Array.from(w.tensor.dataSync()));
    const [sa, sb] = [await slots(straight), await slots(resumed)];
    expect(sb).toHaveLength(sa.length);
    expect(maxAbsDiff(sb, sa)).toBeLessThanOrEqual(1e-6);
    straight.dispose();
    resumed.dispose();
  });

  it('gradual unfreezing keeps the Adam state of variables already training', async () => {
    const t = straightRun(2); // bn2 trained for two epochs; conv2 and bn1 join at epoch 2
    const snapshot = async () =>
      new Map(
        (await t.optimizerWeights('base')).map((w) => [
          w.name,
          Float32Array.from(w.tensor.dataSync() as Float32Array),
        ]),
      );
    const before = await snapshot();
    expect(before.get('iter')![0]).toBeGreaterThan(0);
    expect(t.setEpoch(2)).toBe(true);
    const after = await snapshot();
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [name, v] of before) expect(after.get(name)).toEqual(v);
    // The next step trains the newcomers with fresh slots appended after the existing ones.
    t.trainEpoch(data.train, 2);
    const slots = [...(await snapshot()).keys()].filter((n) => n.endsWith('/m'));
    expect(slots[0]).toMatch(/^base_bn2\//);
    expect(slots.slice(2).some((n) => n.startsWith('base_conv2/'))).toBe(true);
    t.dispose();
  });

  it('resumes with changed params (population-based training): new LRs, never re-freezing', async () => {
    const first = straightRun(3); // epoch 2 unfroze to 1 frozen layer
    const dir = join(tmp, 'ckpt-pbt');
    await first.saveCheckpoint(dir, { epoch: 2, history: [] });
    const frozenThen = first.frozenCount;
    first.dispose();
    // Copied with a tenfold head LR and a schedule that would keep all 3 layers frozen.
    const changed = { ...params, headLr: 0.05, unfreezeEvery: 0 } as const;
    const resumed = makeTrainer(changed);
    await resumed.restoreCheckpoint(dir);
    expect(resumed.frozenCount).toBe(frozenThen);
    resumed.setEpoch(3);
    expect(resumed.frozenCount).toBe(frozenThen);
    const m = resumed.trainEpoch(data.train, 3);
    expect(Number.isFinite(m.loss)).toBe(true);
    // An earlier unfreeze (freezeDepth 1 from the start) unfreezes more on resume.
    const earlier = makeTrainer({ ...params, freezeDepth: 0, unfreezeEvery: 0 });
    await earlier.restoreCheckpoint(dir);
    expect(earlier.frozenCount).toBe(0);
    earlier.trainEpoch(data.train, 3);
    resumed.dispose();
    earlier.dispose();
  });

  it('refuses a checkpoint written with another seed', async () => {
    const t = makeTrainer(params, { seed: 3 });
    await t.saveCheckpoint(join(tmp, 'seed3'), { epoch: 0, history: [] });
    t.dispose();
    const other = makeTrainer(params, { seed: 4 });
    await expect(other.restoreCheckpoint(join(tmp, 'seed3'))).rejects.toThrow(/seed 3.*seed 4/);
    await expect(other.restoreCheckpoint(join(tmp, 'nothing-here'))).rejects.toThrow(
      /not a checkpoint/,
    );
    other.dispose();
  });
});

describe('saving and loading models', () => {
  it('a trained transfer model round-trips through model.json + weights.bin', async () => {
    const t = makeTrainer({ augment: 'light' });
    t.trainEpoch(data.train, 0);
    const path = await saveModel(t.model, join(tmp, 'final'));
    const x = batchTensor(data.val, indexRange(0, 8));
    const expected = (t.model.predict(x) as Tensor).dataSync();
    for (const ref of [path, join(tmp, 'final'), pathToFileURL(path).href]) {
      const loaded = await loadModel(ref);
      const got = (loaded.predict(x) as Tensor).dataSync();
      expect(Array.from(got)).toEqual(Array.from(expected));
      expect(loaded.layers.map((l) => l.name)).toEqual(t.model.layers.map((l) => l.name));
      loaded.dispose();
    }
    x.dispose();
    t.dispose();
  });

  it('loads a base model over http(s)', async () => {
    const base = buildBaseModel({ seed: 9 });
    await saveModel(base, join(tmp, 'served'));
    const server = createServer((req, res) => {
      const file = join(tmp, 'served', (req.url ?? '/').slice(1));
      if (!existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200).end(readFileSync(file));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const { port } = server.address() as AddressInfo;
    // The trainer applies the worker's URL rules itself: loopback only when allowlisted.
    await expect(loadModel(`http://127.0.0.1:${port}/model.json`)).rejects.toThrow(
      /RETUNE_ALLOWED_HOSTS/,
    );
    process.env['RETUNE_ALLOWED_HOSTS'] = '127.0.0.1';
    try {
      const loaded = await loadBaseModel(`http://127.0.0.1:${port}/model.json`, [28, 28, 1]);
      expect(maxAbsDiff(layerValues(loaded, 'base_conv2'), layerValues(base, 'base_conv2'))).toBe(
        0,
      );
      loaded.dispose();
      await expect(loadModel(`http://127.0.0.1:${port}/missing/model.json`)).rejects.toThrow(
        /cannot load model from http:\/\/127\.0\.0\.1:\d+\/missing\/model\.json/,
      );
    } finally {
      delete process.env['RETUNE_ALLOWED_HOSTS'];
      server.close();
      base.dispose();
    }
  });

  it('loadBaseModel checks the input shape and names expected vs actual', async () => {
    const wrong = buildBaseModel({ inputShape: [32, 32, 3] });
    const path = await saveModel(wrong, join(tmp, 'rgb-base'));
    wrong.dispose();
    await expect(loadBaseModel(path, [28, 28, 1])).rejects.toThrow(
      /input shape \[batch, 32, 32, 3\] but the dataset's images need \[batch, 28, 28, 1\]/,
    );
    await expect(loadBaseModel(join(tmp, 'missing', 'model.json'), [28, 28, 1])).rejects.toThrow(
      /model file not found: .*missing\/model.json/,
    );
    const ok = await loadBaseModel(path.replace('rgb-base', 'rgb-base'), [32, 32, 3]);
    expect(ok.inputs[0]!.shape).toEqual([null, 32, 32, 3]);
    ok.dispose();
  });

  it('gradual unfreezing raises the trainable-weight count on schedule', () => {
    const t = makeTrainer({
      freezeDepth: 'feature-extraction',
      unfreezeEvery: 1,
      unfreezeLayers: 1,
    });
    const counts = [0, 1, 2, 3, 4].map((e) => {
      t.setEpoch(e);
      return [t.frozenCount, t.model.trainableWeights.length];
    });
    // 4 layers with weights: 4 → 3 → 2 → 1 → 0 frozen. Trainable: head 4; + bn2 (gamma, beta)
    // = 6; + conv2 = 7; + bn1 (gamma, beta) = 9; + conv1 = 10.
    expect(counts).toEqual([
      [4, 4],
      [3, 6],
      [2, 7],
      [1, 9],
      [0, 10],
    ]);
    expect(layerValues(t.model, 'base_bn2')).toHaveLength(4);
    t.dispose();
  });
});
