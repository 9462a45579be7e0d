import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { TrialOutcome } from '@retune/core';
import { describe, expect, it } from 'vitest';
import { fakeTrialRepos } from '../test-support/fake-repos';
import { createTrialActivities } from './run-trial';
import { createSlotPool } from './slot-pool';
import type { RunTrialInput } from './types';

const synthetic = fileURLToPath(
  new URL('../../../../trainers/synthetic/train.mjs', import.meta.url),
);

function script(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'retune-trainer-'));
  const file = join(dir, 'trainer.mjs');
  writeFileSync(file, body);
  return file;
}

/** Runs the activity in a mock context; MockActivityEnvironment.run loses the return type. */
function runIn(
  env: MockActivityEnvironment,
  acts: ReturnType<typeof createTrialActivities>,
  trial: RunTrialInput,
) {
  return env.run(acts.runTrial, trial) as Promise<TrialOutcome>;
}

function setup(
  command: string[],
  extra: Partial<Parameters<typeof createTrialActivities>[0]> = {},
) {
  const fake = fakeTrialRepos();
  const workDir = mkdtempSync(join(tmpdir(), 'retune-work-'));
  const acts = createTrialActivities({
    repos: fake.repos,
    workerId: 'test-worker',
    workDir,
    slots: createSlotPool({ kind: 'gpu', gpus: [3] }),
    resolveTrainer: () => ({ command }),
    baseEnv: process.env,
    heartbeatIntervalMs: 50,
    killGraceMs: 500,
    ...extra,
  });
  return { acts, workDir, ...fake };
}

const input = (params: RunTrialInput['params'] = { headLr: 0.01, epochs: 3 }): RunTrialInput => ({
  sweepId: 's1',
  trialId: 's1-t0',
  number: 0,
  params,
  trainer: { name: 'synthetic' },
  dataset: 'demo',
  baseModel: 'demo',
  metric: { name: 'val_acc', goal: 'maximize' },
  seed: 1,
});

describe('runTrial', () => {
  it('runs the synthetic trainer, streams metrics to the DB and returns the objective', async () => {
    const { acts, running, points } = setup([process.execPath, synthetic]);
    const outcome = await runIn(new MockActivityEnvironment(), acts, input());
    expect(outcome).toMatchObject({ status: 'completed', objective: 0.95 });
    // The attempt's wall time on its slot: what a GPU-time budget counts.
    expect(outcome.gpuSeconds).toBeGreaterThan(0);
    expect(running).toEqual([{ trialId: 's1-t0', worker: 'test-worker', slot: 0, attempt: 1 }]);
    const valAcc = points.get('s1-t0')!.filter((p) => p.name === 'val_acc');
    expect(valAcc.map((p) => p.epoch)).toEqual([0, 1, 2]);
  });

  it('reports the sweep metric to the workflow at the requested epochs only', async () => {
    const reports: { workflowId: string; report: unknown }[] = [];
    const { acts } = setup([process.execPath, synthetic], {
      reportIntermediate: async (workflowId, report) => {
        reports.push({ workflowId, report });
      },
    });
    const outcome = await runIn(new MockActivityEnvironment(), acts, {
      ...input({ headLr: 0.01, epochs: 4 }),
      reportEpochs: [0, 2, 9],
    });
    expect(outcome.status).toBe('completed');
    expect(reports.map((r) => r.report)).toEqual([
      { number: 0, epoch: 0, value: expect.any(Number) },
      { number: 0, epoch: 2, value: expect.any(Number) },
    ]);
    expect(reports[0]!.workflowId).toBeTruthy();
  });

  it('hands the trainer its GPU through CUDA_VISIBLE_DEVICES and the input file', async () => {
    const trainer = script(`
      import { readFileSync } from 'node:fs';
      const input = JSON.parse(readFileSync(process.env.RETUNE_TRAINER_INPUT, 'utf8'));
      const ok = process.env.CUDA_VISIBLE_DEVICES === '3' && input.device.kind === 'gpu' && input.device.index === 3;
      console.log(JSON.stringify({ type: 'result', values: { val_acc: ok ? 1 : 0 } }));
    `);
    const { acts } = setup([process.execPath, trainer]);
    const outcome = await runIn(new MockActivityEnvironment(), acts, input());
    expect(outcome).toMatchObject({ status: 'completed', objective: 1 });
  });

  it('fails the trial naming the line when the trainer prints garbage', async () => {
    const trainer = script(`
      console.log(JSON.stringify({ type: 'metric', epoch: 0, values: { val_acc: 0.5 } }));
      console.log('Epoch 2/10 - loss: 0.3');
      setTimeout(() => {}, 60_000);
    `);
    const { acts } = setup([process.execPath, trainer]);
    const outcome = await runIn(new MockActivityEnvironment(), acts, input());
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/stdout line 2: not JSON: "Epoch 2\/10/);
  });

  it('passes a registered base model to the trainer as its model.json path and metadata', async () => {
    const trainer = script(`
      import { readFileSync } from 'node:fs';
      const input = JSON.parse(readFileSync(process.env.RETUNE_TRAINER_INPUT, 'utf8'));
      const meta = input.baseModelMeta ?? {};
      const ok = input.baseModel === '/models/registered/model.json' &&
        meta.preprocessing?.kind === 'symmetric' && meta.outputLayer === 'out_relu';
      console.log(JSON.stringify({ type: 'result', values: { val_acc: ok ? 1 : 0 } }));
    `);
    const { acts } = setup([process.execPath, trainer]);
    const outcome = await runIn(new MockActivityEnvironment(), acts, {
      ...input(),
      baseModel: 'registered-base',
    });
    expect(outcome).toMatchObject({ status: 'completed', objective: 1 });
  });

  it('fails the trial with the stderr tail when the trainer exits 1', async () => {
    const trainer = script(
      `console.log(JSON.stringify({ type: 'log', msg: 'loading data' })); console.error('CUDA out of memory'); process.exit(1);`,
    );
    const { acts, logs } = setup([process.execPath, trainer]);
    const outcome = await runIn(new MockActivityEnvironment(), acts, input());
    expect(outcome).toMatchObject({ status: 'failed' });
    expect(outcome.error).toMatch(/exited with code 1: CUDA out of memory/);
    // The trial page shows what the trainer said: its log messages and its stderr.
    expect(logs.get('s1-t0')).toEqual([
      { stream: 'info', line: 'loading data' },
      { stream: 'stderr', line: 'CUDA out of memory' },
    ]);
  });

  it('fails clearly when the trainer command does not exist', async () => {
    const { acts } = setup(['/nonexistent/trainer-binary']);
    const outcome = await runIn(new MockActivityEnvironment(), acts, input());
    expect(outcome.error).toMatch(/trainer command not found: \/nonexistent\/trainer-binary/);
  });

  it('fails when the trainer never reports the sweep metric', async () => {
    const trainer = script(
      `console.log(JSON.stringify({ type: 'result', values: { accuracy: 0.9 } }));`,
    );
    const { acts } = setup([process.execPath, trainer]);
    const outcome = await runIn(new MockActivityEnvironment(), acts, input());
    expect(outcome.error).toMatch(
      /never reported the sweep metric "val_acc"; it reported: accuracy/,
    );
  });

  it('fails when a multi-objective trainer leaves out an objective', async () => {
    const trainer = script(
      `console.log(JSON.stringify({ type: 'result', values: { val_acc: 0.9, epoch_seconds: 2 } }));`,
    );
    const { acts } = setup([process.execPath, trainer]);
    const outcome = await runIn(new MockActivityEnvironment(), acts, {
      ...input(),
      objectives: [
        { name: 'epoch_seconds', goal: 'minimize' },
        { name: 'trainable_params', goal: 'minimize' },
      ],
    });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(
      /did not report the objective "trainable_params".*it reported: val_acc, epoch_seconds/,
    );
  });

  it('kills the trainer (and its children) on cancellation', async () => {
    const marker = `retune-cancel-marker-${process.pid}-${Date.now()}`;
    const trainer = script(`
      import { spawn } from 'node:child_process';
      spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', '${marker}'], { stdio: 'ignore' });
      console.log(JSON.stringify({ type: 'log', msg: 'started' }));
      setTimeout(() => {}, 60_000);
    `);
    const { acts } = setup([process.execPath, trainer, marker]);
    const env = new MockActivityEnvironment();
    const run = runIn(env, acts, input());
    await new Promise((r) => setTimeout(r, 700));
    expect(pgrep(marker)).not.toEqual([]);
    env.cancel();
    await expect(run).rejects.toBeInstanceOf(CancelledFailure);
    await new Promise((r) => setTimeout(r, 300));
    expect(pgrep(marker)).toEqual([]);
  });

  it('resumes from the checkpoint of a previous attempt', async () => {
    const { acts, points } = setup([process.execPath, synthetic]);
    const first = setup([process.execPath, synthetic]);
    // Make a checkpoint as if attempt 1 got through epoch 1 before its worker died.
    await runIn(new MockActivityEnvironment(), first.acts, input({ headLr: 0.01, epochs: 2 }));
    const ckpt = join(first.workDir, 'trials/s1-t0/checkpoints/epoch-1.json');
    const env = new MockActivityEnvironment({
      attempt: 2,
      heartbeatDetails: { epoch: 1, lastCheckpoint: ckpt },
    });
    const outcome = await runIn(env, acts, input({ headLr: 0.01, epochs: 4 }));
    expect(outcome.status).toBe('completed');
    expect(
      points
        .get('s1-t0')!
        .filter((p) => p.name === 'val_acc')
        .map((p) => p.epoch),
    ).toEqual([2, 3]);
  });

  it("pbt: continues from the parent trial's checkpoint with new params and returns its own last one", async () => {
    const { acts, workDir, points } = setup([process.execPath, synthetic]);
    const shifting = { lr: 0.1, epochs: 2, landscape: 'shifting-lr', horizon: 4 };
    const parent = await runIn(new MockActivityEnvironment(), acts, {
      ...input(shifting),
      pbt: { resumeFrom: null, seedTrial: 0 },
    });
    expect(parent.checkpoint).toBe(join(workDir, 'trials/s1-t0/checkpoints/epoch-1.json'));
    const child = await runIn(new MockActivityEnvironment(), acts, {
      ...input({ ...shifting, lr: 0.001, epochs: 4 }),
      trialId: 's1-t5',
      number: 5,
      pbt: { resumeFrom: parent.checkpoint!, seedTrial: 0 },
    });
    expect(child.checkpoint).toBe(join(workDir, 'trials/s1-t5/checkpoints/epoch-3.json'));
    const epochs = points.get('s1-t5')!.filter((p) => p.name === 'val_acc');
    expect(epochs.map((p) => p.epoch)).toEqual([2, 3]);
    // The skill carried over: better than the parent's last epoch.
    expect(child.objective!).toBeGreaterThan(parent.objective!);
    const written = JSON.parse(
      readFileSync(join(workDir, 'trials/s1-t5/input-attempt-1.json'), 'utf8'),
    );
    expect(written).toMatchObject({ resumeFrom: parent.checkpoint, params: { lr: 0.001 } });
    expect(written.seed).toBe(
      JSON.parse(readFileSync(join(workDir, 'trials/s1-t0/input-attempt-1.json'), 'utf8')).seed,
    );
    // A parent checkpoint this worker cannot read fails the trial, naming the fix.
    const lost = await runIn(new MockActivityEnvironment(), acts, {
      ...input(shifting),
      trialId: 's1-t6',
      number: 6,
      pbt: { resumeFrom: join(workDir, 'elsewhere/epoch-1.json'), seedTrial: 1 },
    }).catch((err: Error) => err);
    expect(String(lost)).toMatch(/shared RETUNE_WORK_DIR/);
  });
});

function pgrep(pattern: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', pattern]).toString().trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}
