import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The GPU build (npm run setup:gpu, ~4 GB) is not part of the default install: where it is
// missing this test is reported as skipped, with the reason in its name.
const require = createRequire(import.meta.url);
function gpuBuildDir(): string | null {
  try {
    const dir = path.dirname(require.resolve('@tensorflow/tfjs-node-gpu/package.json'));
    return fs.existsSync(path.join(dir, 'deps', '.tfjs-native-gpu.json')) ? dir : null;
  } catch {
    return null;
  }
}
const installed = gpuBuildDir() !== null;
const why = installed ? '' : ' (skipped: the GPU build is not installed; npm run setup:gpu)';
const facts = fileURLToPath(new URL('./device-facts.ts', import.meta.url));
const backend = fileURLToPath(new URL('./backend.ts', import.meta.url));

describe('GPU build (@tensorflow/tfjs-node-gpu on TensorFlow 2.20)', () => {
  it.skipIf(!installed)(
    `loads on a GPU slot, reports its facts, and trains (on the CPU where there is no GPU)${why}`,
    () => {
      const code = `
        const { loadTf } = await import(${JSON.stringify(backend)});
        const { tfDeviceFacts } = await import(${JSON.stringify(facts)});
        const loaded = loadTf();
        const tf = loaded.tf;
        const model = tf.sequential({ layers: [
          tf.layers.dense({ inputShape: [4], units: 8, activation: 'relu' }),
          tf.layers.dense({ units: 2, activation: 'softmax' }) ] });
        model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
        const x = tf.randomNormal([32, 4]);
        const y = tf.oneHot(tf.randomUniform([32], 0, 2, 'int32'), 2);
        const h = await model.fit(x, y, { epochs: 2, verbose: 0 });
        console.log(JSON.stringify({ pkg: loaded.pkg, facts: tfDeviceFacts(loaded), loss: h.history.loss }));`;
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', code],
        {
          env: { ...process.env, CUDA_VISIBLE_DEVICES: '0', TF_FORCE_GPU_ALLOW_GROWTH: 'true' },
          encoding: 'utf8',
        },
      );
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
        pkg: string;
        facts: { backend: string; framework: string; frameworkVersion: string; cuda?: string };
        loss: number[];
      };
      expect(out.pkg).toBe('@tensorflow/tfjs-node-gpu');
      expect(out.facts).toMatchObject({
        backend: 'tensorflow',
        framework: 'tensorflow',
        frameworkVersion: '2.20.0',
        cuda: '12.5',
      });
      expect(out.loss.every(Number.isFinite)).toBe(true);
    },
    120_000,
  );
});
