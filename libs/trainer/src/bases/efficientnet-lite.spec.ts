import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel, saveModel } from '../model';
import { tf } from '../test-support/fixtures';
import {
  buildEfficientNetLite,
  EFFICIENTNET_LITE0,
  mbBlocks,
  type EfficientNetLiteSpec,
} from './efficientnet-lite';
import { efficientNetLiteFromStateDict, transpose } from './efficientnet-lite-torch';
import { withInputSize } from './input-size';
import type { StateDict } from './pth';

const tmp = mkdtempSync(join(tmpdir(), 'retune-effnet-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Two stages, three blocks: block1a (4→4, no expansion, residual), block2a (stride 2), block2b. */
const TINY: EfficientNetLiteSpec = {
  stemFilters: 4,
  stages: [
    { repeats: 1, kernel: 3, stride: 1, expand: 1, filters: 4 },
    { repeats: 2, kernel: 3, stride: 2, expand: 2, filters: 8 },
  ],
  topFilters: 16,
};

const bn = (m: string, c: number): [string, number[]][] =>
  ['weight', 'bias', 'running_mean', 'running_var'].map((p) => [`${m}.${p}`, [c]]);

/** The PyTorch port's state_dict keys and shapes for TINY, written out by hand. */
const TINY_TORCH: [string, number[]][] = [
  ['_conv_stem.weight', [4, 3, 3, 3]],
  ...bn('_bn0', 4),
  ['_blocks.0._depthwise_conv.weight', [4, 1, 3, 3]],
  ...bn('_blocks.0._bn1', 4),
  ['_blocks.0._project_conv.weight', [4, 4, 1, 1]],
  ...bn('_blocks.0._bn2', 4),
  ['_blocks.1._expand_conv.weight', [8, 4, 1, 1]],
  ...bn('_blocks.1._bn0', 8),
  ['_blocks.1._depthwise_conv.weight', [8, 1, 3, 3]],
  ...bn('_blocks.1._bn1', 8),
  ['_blocks.1._project_conv.weight', [8, 8, 1, 1]],
  ...bn('_blocks.1._bn2', 8),
  ['_blocks.2._expand_conv.weight', [16, 8, 1, 1]],
  ...bn('_blocks.2._bn0', 16),
  ['_blocks.2._depthwise_conv.weight', [16, 1, 3, 3]],
  ...bn('_blocks.2._bn1', 16),
  ['_blocks.2._project_conv.weight', [8, 16, 1, 1]],
  ...bn('_blocks.2._bn2', 8),
  ['_conv_head.weight', [16, 8, 1, 1]],
  ...bn('_bn1', 16),
  ['_fc.weight', [10, 16]],
  ['_fc.bias', [10]],
];

function syntheticStateDict(entries = TINY_TORCH): StateDict {
  let k = 0;
  return new Map(
    entries.map(([key, shape]) => {
      const n = shape.reduce((a, b) => a * b, 1);
      // Distinct values; positive variances.
      const data = Float32Array.from({ length: n }, (_, i) =>
        key.endsWith('running_var') ? 1 + i / 100 : Math.sin(++k) / 4,
      );
      return [key, { shape, dtype: 'float32', data }];
    }),
  );
}

describe('EfficientNet-Lite', () => {
  it('Lite0 has the 16 MBConv blocks, 140 named layers and 3,413,024 weights of the port', () => {
    expect(mbBlocks(EFFICIENTNET_LITE0).map((b) => b.prefix)).toEqual(
      '1a 2a 2b 3a 3b 4a 4b 4c 5a 5b 5c 6a 6b 6c 6d 7a'.split(' ').map((s) => `block${s}`),
    );
    const model = buildEfficientNetLite({ inputSize: [32, 32] });
    expect(model.layers.length - 1).toBe(140);
    expect(model.countParams()).toBe(3_413_024);
    expect(model.outputs[0]!.shape).toEqual([null, 1, 1, 1280]);
    expect(model.getLayer('block6d_add')).toBeDefined();
    model.dispose();
  });

  it('transpose permutes axes like numpy', () => {
    const a = Float32Array.from([0, 1, 2, 3, 4, 5]); // 2×3
    expect([...transpose(a, [2, 3], [1, 0])]).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it('loads a state_dict: OIHW → HWIO, depthwise (C,1,k,k) → (k,k,C,1), BN in Keras order', () => {
    const sd = syntheticStateDict();
    const model = efficientNetLiteFromStateDict(sd, { inputSize: [16, 16], spec: TINY });
    const stem = model.getLayer('stem_conv').getWeights()[0]!.arraySync() as number[][][][];
    const torchStem = sd.get('_conv_stem.weight')!.data; // [o][i][h][w], 4×3×3×3
    expect(stem[1]![2]![0]![3]).toBeCloseTo(torchStem[3 * 27 + 0 * 9 + 1 * 3 + 2]!, 6);
    const dw = model.getLayer('block2a_dwconv').getWeights()[0]!;
    expect(dw.shape).toEqual([3, 3, 8, 1]);
    const torchDw = sd.get('_blocks.1._depthwise_conv.weight')!.data; // [c][0][h][w]
    expect((dw.arraySync() as number[][][][])[2]![0]![5]![0]).toBeCloseTo(torchDw[5 * 9 + 6]!, 6);
    const [gamma, , , variance] = model.getLayer('top_bn').getWeights();
    expect([...gamma!.dataSync()]).toEqual([...sd.get('_bn1.weight')!.data]);
    expect([...variance!.dataSync()]).toEqual([...sd.get('_bn1.running_var')!.data]);
    expect(model.layers.map((l) => l.name)).toContain('block1a_add');
    expect(model.layers.map((l) => l.name)).toContain('block2b_add');
    expect(model.outputs[0]!.shape).toEqual([null, 4, 4, 16]); // two stride-2 layers
    model.dispose();
  });

  it('names a missing or unused tensor', () => {
    const missing = syntheticStateDict(TINY_TORCH.filter(([k]) => k !== '_blocks.1._bn0.bias'));
    expect(() =>
      efficientNetLiteFromStateDict(missing, { inputSize: [16, 16], spec: TINY }),
    ).toThrow(/state_dict has no _blocks.1._bn0.bias/);
    const extra = syntheticStateDict([...TINY_TORCH, ['_blocks.3._bn0.weight', [8]]]);
    expect(() => efficientNetLiteFromStateDict(extra, { inputSize: [16, 16], spec: TINY })).toThrow(
      /not used by the network: _blocks.3._bn0.weight/,
    );
  });

  it('survives a save/load round trip and a change of input size with the same weights', async () => {
    const model = efficientNetLiteFromStateDict(syntheticStateDict(), {
      inputSize: [32, 32],
      spec: TINY,
    });
    const x = tf.randomUniform([2, 32, 32, 3], -1, 1, 'float32', 7);
    const y = model.predict(x) as ReturnType<typeof tf.zeros>;
    const loaded = await loadModel(await saveModel(model, join(tmp, 'tiny')));
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    const y2 = loaded.predict(x) as typeof y;
    expect(tf.max(tf.abs(tf.sub(y, y2))).dataSync()[0]).toBeLessThan(1e-6);
    const small = await withInputSize(loaded, [16, 16]);
    expect(small.inputs[0]!.shape).toEqual([null, 16, 16, 3]);
    expect(small.outputs[0]!.shape).toEqual([null, 4, 4, 16]);
    expect(small.getLayer('top_conv').getWeights()[0]!.dataSync()).toEqual(
      model.getLayer('top_conv').getWeights()[0]!.dataSync(),
    );
    [x, y, y2].forEach((t) => t.dispose());
    model.dispose();
    small.dispose();
  });
});
