import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LayersModel, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { modelInputBatch } from './data/batch';
import { applyFreeze, freezeUnits, isInferenceLocked } from './freeze';
import { buildBaseModel, buildHead, buildTransferModel, loadModel, saveModel } from './model';
import { preprocessingAffine, PREPROCESS_LAYER } from './preprocess';
import {
  layerValues,
  makeTrainer,
  maxAbsDiff,
  nestedBase,
  smallData,
  tf,
} from './test-support/fixtures';

const tmp = mkdtempSync(join(tmpdir(), 'retune-model-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const head = () => buildHead({ units: 8, dropout: 0, classes: 5, seed: 1 });
const predict = (m: LayersModel, x: Tensor) =>
  Float32Array.from((m.predict(x) as Tensor).dataSync());

describe('preprocessing inside the model', () => {
  it('maps [0, 255] pixels per the base metadata', () => {
    const at = (p: Parameters<typeof preprocessingAffine>[0], c = 3) => {
      const { scale, offset } = preprocessingAffine(p, c);
      return [0, 255].map((v) => scale.map((s, k) => +(v * s + offset[k]!).toFixed(4)));
    };
    expect(at({ kind: 'unit' }, 1)).toEqual([[0], [1]]);
    expect(at({ kind: 'symmetric' }, 1)).toEqual([[-1], [1]]);
    expect(at({ kind: 'offset-scale', offset: 127, scale: 128 }, 1)).toEqual([[-0.9922], [1]]);
    expect(
      at({ kind: 'mean-std', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }),
    ).toEqual([
      [-2.1179, -2.0357, -1.8044],
      [2.2489, 2.4286, 2.64],
    ]);
    expect(() => preprocessingAffine({ kind: 'mean-std', mean: [0, 0], std: [1] }, 3)).toThrow(
      /preprocessing.mean has 2 values but the base takes 3 channels/,
    );
  });

  it('the transfer model takes [0, 255] images and its preprocess layer rescales them', () => {
    const tm = buildTransferModel(buildBaseModel({ seed: 2 }), head(), {
      preprocessing: { kind: 'symmetric' },
    });
    expect(tm.model.layers.map((l) => l.name).slice(0, 3)).toEqual([
      'image_input',
      PREPROCESS_LAYER,
      'base_conv1',
    ]);
    expect(tm.baseLayers.map((l) => l.name)).not.toContain(PREPROCESS_LAYER);
    const pre = tf.model({
      inputs: tm.model.inputs,
      outputs: tm.model.getLayer(PREPROCESS_LAYER).output as never,
    });
    const x = tf.fill([1, 28, 28, 1], 255);
    expect(Array.from((pre.predict(x) as Tensor).dataSync().slice(0, 2))).toEqual([1, 1]);
    tf.dispose([x]);
    tm.model.dispose();
  });

  it('the trainer feeds the model [0, 255] pixels (unit preprocessing reproduces [0, 1] bases)', () => {
    const data = smallData();
    const t = makeTrainer();
    const x = tf.tensor4d(data.val.images.subarray(0, 4 * 784), [4, 28, 28, 1]);
    const x255 = tf.mul(x, 255);
    const loss = (probs: Tensor) =>
      tf
        .sum(
          tf.metrics.categoricalCrossentropy(
            tf.oneHot(tf.tensor1d(data.val.labels.subarray(0, 4), 'int32'), 5),
            probs,
          ),
        )
        .dataSync()[0]!;
    const four = {
      ...data.val,
      images: data.val.images.subarray(0, 4 * 784),
      labels: data.val.labels.subarray(0, 4),
    };
    const evaluated = t.evaluate(four).loss * 4;
    expect(evaluated).toBeCloseTo(loss(t.model.predict(x255) as Tensor), 4);
    expect(Math.abs(evaluated - loss(t.model.predict(x) as Tensor))).toBeGreaterThan(1e-3);
    tf.dispose([x, x255]);
    t.dispose();
  });

  it('survives save/load of the full transfer model (mean-std, RGB)', async () => {
    const preprocessing = {
      kind: 'mean-std',
      mean: [0.5, 0.4, 0.3],
      std: [0.2, 0.25, 0.3],
    } as const;
    const tm = buildTransferModel(buildBaseModel({ seed: 4, inputShape: [28, 28, 3] }), head(), {
      preprocessing: {
        ...preprocessing,
        mean: [...preprocessing.mean],
        std: [...preprocessing.std],
      },
    });
    const path = await saveModel(tm.model, join(tmp, 'rgb'));
    const loaded = await loadModel(path);
    const x = tf.randomUniform([2, 28, 28, 3], 0, 255, 'float32', 7);
    expect(maxAbsDiff([predict(loaded, x)], [predict(tm.model, x)])).toBe(0);
    const config = loaded.getLayer(PREPROCESS_LAYER).getConfig();
    expect(config['preprocessing']).toEqual(preprocessing);
    tf.dispose(x);
    loaded.dispose();
    tm.model.dispose();
  });
});

describe('head pooling', () => {
  const headDenseInputs = (tm: ReturnType<typeof buildTransferModel>) =>
    tm.model.getLayer('head_dense').getWeights()[0]!.shape[0];

  it('global average pooling for a rank-4 base output by default; flatten on request', () => {
    const gap = buildTransferModel(buildBaseModel({ seed: 1, flatten: false }), head());
    expect(gap.headLayers[0]!.name).toBe('head_gap');
    expect(headDenseInputs(gap)).toBe(16);
    const flat = buildTransferModel(buildBaseModel({ seed: 1, flatten: false }), head(), {
      pooling: 'flatten',
    });
    expect(flat.headLayers[0]!.name).toBe('head_flatten');
    expect(headDenseInputs(flat)).toBe(7 * 7 * 16);
    // The demo bases end in base_flatten (rank 2): the head attaches directly.
    const demo = buildTransferModel(buildBaseModel({ seed: 1 }), head());
    expect(demo.headLayers[0]!.name).toBe('head_dense');
    for (const m of [gap, flat, demo]) m.model.dispose();
  });

  it('cuts the base at outputLayer and names the layers when it is missing', () => {
    const tm = buildTransferModel(buildBaseModel({ seed: 1 }), head(), {
      outputLayer: 'base_pool1',
    });
    expect(tm.baseLayers.at(-1)!.name).toBe('base_pool1');
    expect(headDenseInputs(tm)).toBe(8);
    tm.model.dispose();
    expect(() =>
      buildTransferModel(buildBaseModel({ seed: 1 }), head(), { outputLayer: 'nope' }),
    ).toThrow(/no layer "nope".*base_conv1/);
  });
});

describe('nested bases (x = base(inputs))', () => {
  it('are flattened: freezeDepth counts the inner layers', async () => {
    // Through model.json, as a Keras export would arrive.
    const path = await saveModel(nestedBase(), join(tmp, 'nested'));
    const base = await loadModel(path);
    expect(base.layers.map((l) => l.name)).toEqual(['outer_input', 'base', 'outer_dense']);
    const tm = buildTransferModel(base, head());
    expect(freezeUnits(tm.baseLayers).map((l) => l.name)).toEqual([
      'base_conv1',
      'base_bn1',
      'base_conv2',
      'base_bn2',
      'outer_dense',
    ]);
    const report = applyFreeze(tm, 2, 'train');
    expect(report.frozen).toEqual(['base_conv1', 'base_bn1']);
    expect(isInferenceLocked(tm.model.getLayer('base_bn1'))).toBe(true);
    expect(isInferenceLocked(tm.model.getLayer('base_bn2'))).toBe(false);
    tm.model.dispose();
  });

  it('a Sequential base, alone or nested, is expanded the same way', () => {
    const seq = () =>
      tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3, name: 's_conv' }),
          tf.layers.batchNormalization({ name: 's_bn' }),
        ],
      });
    const plain = buildTransferModel(seq(), head());
    const input = tf.input({ shape: [28, 28, 1] });
    const outer = tf.model({ inputs: input, outputs: seq().apply(input) as SymbolicTensor });
    const nested = buildTransferModel(outer, head());
    for (const tm of [plain, nested]) {
      expect(tm.baseLayers.map((l) => l.name)).toEqual(['s_conv', 's_bn']);
      tm.model.dispose();
    }
  });

  it('train their unfrozen inner layers while frozen inner BatchNorm keeps its statistics', () => {
    const data = smallData();
    const t = makeTrainer(
      { freezeDepth: 2, bnMode: 'train', headLr: 0.01, baseLr: 0.01 },
      { base: nestedBase() },
    );
    const before = ['base_conv1', 'base_bn1', 'base_conv2', 'base_bn2'].map((n) =>
      layerValues(t.model, n),
    );
    t.trainEpoch(data.train, 0);
    const after = ['base_conv1', 'base_bn1', 'base_conv2', 'base_bn2'].map((n) =>
      layerValues(t.model, n),
    );
    expect(after[0]).toEqual(before[0]);
    expect(after[1]).toEqual(before[1]);
    expect(maxAbsDiff(after[2]!, before[2]!)).toBeGreaterThan(0);
    expect(maxAbsDiff(after[3]!.slice(2), before[3]!.slice(2))).toBeGreaterThan(0);
    t.dispose();
  });
});

describe('modelInputBatch', () => {
  it('feeds [0, 255] to transfer models and [0, 1] to models saved before preprocessing moved in', () => {
    const data = smallData().val;
    const tm = buildTransferModel(buildBaseModel({ seed: 1 }), head());
    const old = buildBaseModel({ seed: 1 });
    const max = (m: LayersModel) => {
      const x = modelInputBatch(m, data, 0, 4);
      const v = x.max().dataSync()[0]!;
      x.dispose();
      return v;
    };
    expect(max(tm.model)).toBeGreaterThan(1);
    expect(max(old)).toBeLessThanOrEqual(1);
    tm.model.dispose();
    old.dispose();
  });
});
