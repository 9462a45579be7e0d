import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { TrialOutcome } from '@retune/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeTrialRepos } from '../test-support/fake-repos';
import { createTrialActivities } from '../trial/run-trial';
import { createSlotPool } from '../trial/slot-pool';
import type { RunTrialInput } from '../trial/types';

// A GPU-slot trial with a stand-in nvidia-smi on PATH printing a recorded reading: the samples
// become gpu_util / gpu_mem_mb points, the device facts are stored, and sampling ends with the
// trial. No GPU is involved or pretended to be used by the trainer.
let dir: string;
let savedPath: string | undefined;
const callsFile = () => path.join(dir, 'calls');
const calls = () => (fs.existsSync(callsFile()) ? fs.readFileSync(callsFile(), 'utf8') : '');

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trial-gpu-'));
  const smi = `#!/bin/sh\necho "$*" >> "${callsFile()}"\nprintf '73, 5120\\n'\n`;
  fs.writeFileSync(path.join(dir, 'nvidia-smi'), smi, { mode: 0o755 });
  savedPath = process.env['PATH'];
  process.env['PATH'] = `${dir}${path.delimiter}${savedPath ?? ''}`;
});
afterEach(() => {
  process.env['PATH'] = savedPath;
  fs.rmSync(dir, { recursive: true, force: true });
});

const device = {
  backend: 'cuda',
  device: 'NVIDIA H200',
  framework: 'torch',
  frameworkVersion: '2.9.0',
};

describe('a GPU trial', () => {
  it('stores its device facts and its GPU samples, and stops sampling when it ends', async () => {
    // The trainer waits until the worker has sampled its GPU once, then finishes.
    const trainer = path.join(dir, 'trainer.mjs');
    fs.writeFileSync(
      trainer,
      `import { existsSync } from 'node:fs';
      console.log(JSON.stringify({ type: 'log', msg: 'cuda on NVIDIA H200', device: ${JSON.stringify(device)} }));
      while (!existsSync(${JSON.stringify(callsFile())})) await new Promise((r) => setTimeout(r, 10));
      console.log(JSON.stringify({ type: 'metric', epoch: 0, values: { val_acc: 0.5 } }));
      console.log(JSON.stringify({ type: 'result', values: { val_acc: 0.5 } }));`,
    );
    const fake = fakeTrialRepos();
    const acts = createTrialActivities({
      repos: fake.repos,
      workerId: 'w',
      workDir: fs.mkdtempSync(path.join(os.tmpdir(), 'retune-work-')),
      slots: createSlotPool({ kind: 'gpu', gpus: [2] }),
      resolveTrainer: () => ({ command: [process.execPath, trainer] }),
      baseEnv: process.env,
    });
    const trial: RunTrialInput = {
      sweepId: 's1',
      trialId: 's1-t0',
      number: 0,
      params: {},
      trainer: { name: 'synthetic' },
      dataset: 'demo',
      baseModel: 'demo',
      metric: { name: 'val_acc', goal: 'maximize' },
      seed: 1,
    };
    const outcome = (await new MockActivityEnvironment().run(acts.runTrial, trial)) as TrialOutcome;
    expect(outcome.status).toBe('completed');
    expect(fake.devices.get('s1-t0')).toEqual(device);
    const points = fake.points.get('s1-t0')!;
    expect(points).toContainEqual(expect.objectContaining({ name: 'gpu_util', value: 73 }));
    expect(points).toContainEqual(expect.objectContaining({ name: 'gpu_mem_mb', value: 5120 }));
    expect(calls()).toContain('-i 2');
    const after = calls();
    await new Promise((r) => setTimeout(r, 200));
    expect(calls()).toBe(after);
  });
});
