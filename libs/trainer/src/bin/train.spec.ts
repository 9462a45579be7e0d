import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTrainerLine, type TrainerInput, type TrainerMessage } from '@retune/core';
import { buildBaseModel, loadModel, saveModel } from '../model';
import { tf } from '../test-support/fixtures';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../../..');
const tmp = mkdtempSync(join(tmpdir(), 'retune-trainer-bin-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  messages: TrainerMessage[];
}

function runScript(script: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(here, script), ...args],
      { cwd: repoRoot, env: { ...process.env, ...env }, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        // Every stdout line must be a valid protocol message, whatever the outcome.
        const messages: TrainerMessage[] = [];
        stdout.split('\n').forEach((line, i) => {
          const r = parseTrainerLine(line, i + 1);
          if (r.kind === 'error') throw new Error(`${r.error}\nstderr: ${stderr}`);
          if (r.kind === 'message') messages.push(r.message);
        });
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        done({ code, stdout, stderr, messages });
      },
    );
  });
}

let inputs = 0;
function writeInput(
  overrides: Partial<TrainerInput> & { params?: TrainerInput['params'] },
): string {
  const n = inputs++;
  const input: TrainerInput = {
    trialId: `t${n}`,
    baseModel: 'demo:scratch',
    dataset: 'demo:mnist-5-9',
    checkpointDir: join(tmp, `ck-${n}`),
    seed: 11,
    device: { kind: 'cpu' },
    ...overrides,
    params: {
      epochs: 2,
      batchSize: 16,
      units: 16,
      trainPerClass: 8,
      valPerClass: 8,
      ...overrides.params,
    },
  };
  const path = join(tmp, `input-${n}.json`);
  writeFileSync(path, JSON.stringify(input));
  return path;
}

const train = (input: string, env?: Record<string, string>) => runScript('train.ts', [input], env);
const ofType = <T extends TrainerMessage['type']>(r: Run, type: T) =>
  r.messages.filter((m): m is Extract<TrainerMessage, { type: T }> => m.type === type);
const weightsOf = (modelJson: string) =>
  new Float32Array(new Uint8Array(readFileSync(join(dirname(modelJson), 'weights.bin'))).buffer);

describe('train.ts executable', () => {
  it('speaks only the protocol on stdout and ends with a result', async () => {
    const r = await train(writeInput({ params: { augment: 'light', freezeDepth: 'partial' } }));
    expect(r.code, r.stderr).toBe(0);
    // demo:scratch has no BatchNorm statistics to keep: bnMode defaults to train.
    expect(ofType(r, 'log')[0]!.msg).toMatch(/preprocessing unit \(default\), bnMode train,/);
    expect(r.messages.map((m) => m.type)).toEqual([
      'log',
      'metric',
      'checkpoint',
      'metric',
      'checkpoint',
      'result',
    ]);
    const metrics = ofType(r, 'metric');
    expect(metrics.map((m) => m.epoch)).toEqual([0, 1]);
    for (const m of metrics) {
      expect(Object.keys(m.values)).toEqual([
        'loss',
        'acc',
        'val_loss',
        'val_acc',
        'frozen_layers',
      ]);
    }
    const result = ofType(r, 'result')[0]!;
    expect(result.values['native_backend']).toBe(1);
    // val_acc / val_loss are the last epoch's; best_val_acc the best epoch's.
    expect(result.values['val_acc']).toBe(metrics.at(-1)!.values['val_acc']);
    expect(result.values['val_loss']).toBe(metrics.at(-1)!.values['val_loss']);
    expect(result.values['best_val_acc']).toBe(
      Math.max(...metrics.map((m) => m.values['val_acc']!)),
    );
    for (const d of [5, 6, 7, 8, 9])
      expect(result.values[`val_acc_class_${d}`]).toBeGreaterThanOrEqual(0);
    for (const c of ofType(r, 'checkpoint'))
      expect(existsSync(join(c.path, 'model.json'))).toBe(true);
    // The exported final model loads and classifies 28×28×1 images into 5 classes.
    const model = await loadModel(result.artifact!);
    expect(model.outputs[0]!.shape).toEqual([null, 5]);
    model.dispose();
  });

  it('resuming from the epoch-1 checkpoint reproduces the uninterrupted run', async () => {
    const params = { epochs: 3, augment: 'light', dropout: 0.3, freezeDepth: 3, unfreezeEvery: 2 };
    const [straight, firstTwo] = await Promise.all([
      train(writeInput({ params })),
      train(writeInput({ params: { ...params, epochs: 2 } })),
    ]);
    expect(straight.code, straight.stderr).toBe(0);
    expect(firstTwo.code, firstTwo.stderr).toBe(0);
    const ckpt = ofType(firstTwo, 'checkpoint')[1]!;
    const resumed = await train(writeInput({ params, resumeFrom: ckpt.path }));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(ofType(resumed, 'log').some((l) => l.msg.includes('resumed from'))).toBe(true);
    const last = (r: Run) => ofType(r, 'metric').at(-1)!;
    expect(ofType(resumed, 'metric').map((m) => m.epoch)).toEqual([2]);
    expect(last(resumed).values).toEqual(last(straight).values);
    const a = weightsOf(ofType(straight, 'result')[0]!.artifact!);
    const b = weightsOf(ofType(resumed, 'result')[0]!.artifact!);
    expect(b.length).toBe(a.length);
    let maxDiff = 0;
    a.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - b[i]!))));
    expect(maxDiff).toBeLessThanOrEqual(1e-6);
    // Everything but the wall-clock epoch time is reproduced.
    const { epoch_seconds: t1, ...resumedValues } = ofType(resumed, 'result')[0]!.values;
    const { epoch_seconds: t2, ...straightValues } = ofType(straight, 'result')[0]!.values;
    expect(resumedValues).toEqual(straightValues);
    expect(t1).toBeGreaterThan(0);
    expect(t2).toBeGreaterThan(0);
  });

  it('pretrain.ts writes a base that train.ts fine-tunes from a model.json path', async () => {
    const out = join(tmp, 'pretrained');
    const pre = await runScript('pretrain.ts', [out, '--epochs', '1', '--train-per-class', '20']);
    expect(pre.code, pre.stderr).toBe(0);
    const artifact = ofType(pre, 'result')[0]!.artifact!;
    expect(artifact).toBe(join(out, 'model.json'));
    const r = await train(
      writeInput({ baseModel: artifact, params: { freezeDepth: 'feature-extraction' } }),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(ofType(r, 'log')[0]!.msg).toMatch(
      /preprocessing unit \(default\), bnMode frozen, frozen 4: \[base_conv1, base_bn1, base_conv2, base_bn2\]/,
    );
    expect(ofType(r, 'result')).toHaveLength(1);
    // retune-base.json beside model.json is the base's metadata unless the input carries one.
    const meta = { inputSize: [28, 28], channels: 1, preprocessing: { kind: 'symmetric' } };
    writeFileSync(join(out, 'retune-base.json'), JSON.stringify(meta));
    const withMeta = await train(writeInput({ baseModel: artifact, params: { epochs: 1 } }));
    expect(withMeta.code, withMeta.stderr).toBe(0);
    expect(ofType(withMeta, 'log')[0]!.msg).toMatch(/preprocessing symmetric \(retune-base.json\)/);
  });
});

describe('demo:mnist-0-4-cnn base', () => {
  it('is pretrained once into RETUNE_MODEL_CACHE and then reused', async () => {
    const env = { RETUNE_MODEL_CACHE: join(tmp, 'cache') };
    const first = await train(
      writeInput({ baseModel: 'demo:mnist-0-4-cnn', params: { epochs: 1 } }),
      env,
    );
    expect(first.code, first.stderr).toBe(0);
    expect(ofType(first, 'log')[0]!.msg).toMatch(/pretraining demo:mnist-0-4-cnn/);
    expect(existsSync(join(tmp, 'cache', 'mnist-0-4-cnn-v2', 'model.json'))).toBe(true);
    // Pretraining emits no metric lines of its own into the trial's stream.
    expect(ofType(first, 'metric').map((m) => m.epoch)).toEqual([0]);
    const second = await train(
      writeInput({ baseModel: 'demo:mnist-0-4-cnn', params: { epochs: 1 } }),
      env,
    );
    expect(second.code, second.stderr).toBe(0);
    expect(second.messages.some((m) => m.type === 'log' && /pretraining/.test(m.msg))).toBe(false);
  });
});

describe('train.ts bad inputs fail with a clear reason and a non-zero exit', () => {
  const failing = async (input: string, pattern: RegExp, code = 1) => {
    const r = await train(input);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(pattern);
    expect(ofType(r, 'result')).toHaveLength(0);
    return r;
  };

  it('missing base model file', async () => {
    const r = await failing(
      writeInput({ baseModel: join(tmp, 'nope', 'model.json') }),
      /model file not found: .*nope\/model.json/,
    );
    expect(ofType(r, 'log').at(-1)).toMatchObject({ level: 'error' });
  });

  it('base model whose input no dataset converts to (grey and RGB images are)', async () => {
    const rgba = buildBaseModel({ inputShape: [32, 32, 4] });
    const path = await saveModel(rgba, join(tmp, 'rgba'));
    rgba.dispose();
    await failing(
      writeInput({ baseModel: path }),
      /the base model takes 4-channel images; datasets are converted to 1 \(grey\) or 3 \(RGB\)/,
    );
  });

  it('unknown dataset, empty class, bad params, unknown demo base', async () => {
    await Promise.all([
      failing(writeInput({ dataset: 'demo:cifar-10' }), /unknown dataset "demo:cifar-10"/),
      failing(writeInput({ dataset: '/data/folder' }), /unknown dataset "\/data\/folder"/),
      failing(writeInput({ params: { trainPerClass: 0 } }), /params\.trainPerClass/),
      failing(writeInput({ params: { optimizer: 'rmsprop' } }), /params\.optimizer/),
      failing(writeInput({ baseModel: 'demo:resnet' }), /unknown base model "demo:resnet"/),
    ]);
  });

  it('missing or invalid input file → exit 2', async () => {
    await failing(join(tmp, 'absent.json'), /input file not found/, 2);
    const bad = join(tmp, 'bad-input.json');
    writeFileSync(bad, JSON.stringify({ trialId: 'x' }));
    await failing(bad, /invalid input .*params/, 2);
  });
});

describe('backend fallback', () => {
  it('says loudly (stderr + warn log) when it runs on the pure-JS cpu backend', async () => {
    const r = await train(
      writeInput({ params: { epochs: 1, trainPerClass: 2, valPerClass: 2, batchSize: 10 } }),
      { RETUNE_TRAINER_FORCE_CPU: '1' },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/WARNING: @retune\/trainer is running on the pure-JS "cpu" backend/);
    expect(r.messages[0]).toMatchObject({ type: 'log', level: 'warn' });
    expect(ofType(r, 'result')[0]!.values['native_backend']).toBe(0);
  });
});

// Keep the native backend loaded in this process for the in-process model helpers above.
expect(tf.getBackend()).toBe('tensorflow');
