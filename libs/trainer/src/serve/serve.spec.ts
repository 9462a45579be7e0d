import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTrainerLine, type TrainerInput, type TrainerMessage } from '@retune/core';
import { loadTf } from '../backend';
import { createEmitter } from '../emit';
import { buildBaseModel, saveModel } from '../model';
import { serveTrial } from './serve';
import { createTrialCache } from './trial-cache';

const tmp = mkdtempSync(join(tmpdir(), 'retune-serve-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const loaded = loadTf();
const { tf } = loaded;

let n = 0;
const inputFor = (baseModel: string, params: TrainerInput['params'] = {}): TrainerInput => ({
  trialId: `t${n}`,
  baseModel,
  dataset: 'demo:mnist-5-9',
  checkpointDir: join(tmp, `ck-${n++}`),
  seed: 5,
  device: { kind: 'cpu' },
  params: { epochs: 2, batchSize: 16, units: 8, trainPerClass: 6, valPerClass: 4, ...params },
});

function collect() {
  const messages: TrainerMessage[] = [];
  const emit = createEmitter((line) => {
    const parsed = parseTrainerLine(line, messages.length + 1);
    if (parsed.kind !== 'message') throw new Error(`not a protocol line: ${line}`);
    messages.push(parsed.message);
  });
  return { emit, messages };
}

describe('a serving tfjs trainer', () => {
  it('runs trials back to back, caches the base and dataset, and leaks no tensor', async () => {
    const base = buildBaseModel({ seed: 1 });
    const basePath = await saveModel(base, join(tmp, 'base'));
    base.dispose();
    const cache = createTrialCache();
    const baseline = tf.memory().numTensors;
    const trials = [
      inputFor(basePath),
      inputFor(basePath, { freezeDepth: 'partial', augment: 'light' }),
      inputFor('demo:scratch', { headLr: 0.003 }),
      inputFor(basePath, { epochs: 1 }),
      // Cut below the base's last layer: the layers above the cut go too.
      inputFor(basePath, { epochs: 1, baseOutputLayer: 'base_pool1' }),
    ];
    const results: number[] = [];
    for (const input of trials) {
      const { emit, messages } = collect();
      await serveTrial(input, { emit, loaded, cache });
      expect(messages[0]).toMatchObject({ type: 'log', device: { backend: 'tensorflow' } });
      const result = messages.at(-1);
      expect(result?.type).toBe('result');
      if (result?.type === 'result') results.push(result.values['val_acc']!);
      // Every tensor of the trial is gone: the cache holds artifacts, not tensors.
      expect(tf.memory().numTensors).toBe(baseline);
    }
    expect(results).toHaveLength(5);
    // One base file, whole and cut (the scratch base is never cached); one dataset.
    expect(cache.stats()).toMatchObject({ bases: 2, datasets: 1 });
  });

  it('a cached base trains exactly as a freshly loaded one', async () => {
    const base = buildBaseModel({ seed: 2 });
    const basePath = await saveModel(base, join(tmp, 'base2'));
    base.dispose();
    const cache = createTrialCache();
    const run = async (cached: boolean) => {
      const { emit, messages } = collect();
      await serveTrial(inputFor(basePath), {
        emit,
        loaded,
        cache: cached ? cache : createTrialCache(),
      });
      return messages.filter((m) => m.type === 'metric');
    };
    const first = await run(true);
    const second = await run(true); // from the cache
    const fresh = await run(false);
    expect(second).toEqual(first);
    expect(fresh).toEqual(first);
  });

  it('keeps the dataset cache within its byte limit', async () => {
    const cache = createTrialCache({ datasets: 4, datasetBytes: 1, bases: 1 });
    for (const trainPerClass of [4, 5]) {
      const { emit } = collect();
      await serveTrial(inputFor('demo:scratch', { epochs: 1, trainPerClass }), {
        emit,
        loaded,
        cache,
      });
    }
    expect(cache.stats().datasets).toBe(1);
  });
});
