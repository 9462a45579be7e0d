import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { TrialOutcome } from '@retune/core';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeTrialRepos } from '../test-support/fake-repos';
import { createTrainerPool, type TrainerPool } from '../trainer-process/trainer-pool';
import { createTrialActivities } from './run-trial';
import { createSlotPool } from './slot-pool';
import type { RunTrialInput, TrialHeartbeat } from './types';

/**
 * What a trial guarantees (metrics, rung reports, checkpoint heartbeats, cancellation, resume)
 * holds whether its trainer runs as its own process or on the slot's reused one.
 */
const synthetic = fileURLToPath(
  new URL('../../../../trainers/synthetic/train.mjs', import.meta.url),
);

const pools: TrainerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close(200)));
});

function setup(
  reused: boolean,
  opts: { command?: string[]; maxTrials?: number; maxRssMb?: number } = {},
) {
  const fake = fakeTrialRepos();
  const workDir = mkdtempSync(join(tmpdir(), 'retune-work-'));
  const pool = createTrainerPool({
    maxTrials: opts.maxTrials ?? 50,
    ...(opts.maxRssMb !== undefined ? { maxRssMb: opts.maxRssMb } : {}),
    markerDir: join(workDir, 'pool'),
  });
  pools.push(pool);
  const reports: unknown[] = [];
  const acts = createTrialActivities({
    repos: fake.repos,
    workerId: 'test-worker',
    workDir,
    slots: createSlotPool({ kind: 'cpu', slots: 1 }),
    resolveTrainer: () => ({
      command: opts.command ?? [process.execPath, synthetic],
      reusable: reused,
    }),
    baseEnv: process.env,
    heartbeatIntervalMs: 50,
    killGraceMs: 500,
    trainerPool: pool,
    reportIntermediate: async (_id, report) => {
      reports.push(report);
    },
  });
  const run = (trial: RunTrialInput, env = new MockActivityEnvironment()) =>
    env.run(acts.runTrial, trial) as Promise<TrialOutcome>;
  return { acts, run, pool, workDir, reports, ...fake };
}

const input = (
  params: RunTrialInput['params'] = { headLr: 0.01, epochs: 3 },
  trialId = 's1-t0',
): RunTrialInput => ({
  sweepId: 's1',
  trialId,
  number: 0,
  params,
  trainer: { name: 'synthetic' },
  dataset: 'demo',
  baseModel: 'demo',
  metric: { name: 'val_acc', goal: 'maximize' },
  seed: 1,
});

const alive = (pid: number | undefined) => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each([
  ['a process per trial', false],
  ['a reused process', true],
])('runTrial with %s', (_mode, reused) => {
  it('streams metrics, reports rung values and returns the objective', async () => {
    const { run, points, reports } = setup(reused);
    const outcome = await run({ ...input({ headLr: 0.01, epochs: 4 }), reportEpochs: [0, 2] });
    expect(outcome).toMatchObject({ status: 'completed', objective: 0.95 });
    const epochs = points.get('s1-t0')!.filter((p) => p.name === 'val_acc');
    expect(epochs.map((p) => p.epoch)).toEqual([0, 1, 2, 3]);
    expect(reports).toEqual([
      { number: 0, epoch: 0, value: expect.any(Number) },
      { number: 0, epoch: 2, value: expect.any(Number) },
    ]);
  });

  it('heartbeats the last checkpoint', async () => {
    const { run } = setup(reused);
    const env = new MockActivityEnvironment();
    const beats: TrialHeartbeat[] = [];
    env.on('heartbeat', (d: TrialHeartbeat | undefined) => d && beats.push({ ...d }));
    await run(input({ headLr: 0.01, epochs: 3, sleepMs: 100 }), env);
    expect(beats.at(-1)?.lastCheckpoint).toMatch(/epoch-2\.json$/);
  });

  it('stops the trainer on cancellation (a pruned trial) and the next trial still runs', async () => {
    const { run, pool, points } = setup(reused);
    const env = new MockActivityEnvironment();
    const cancelled = run(input({ headLr: 0.01, epochs: 50, sleepMs: 100 }), env);
    while (!points.get('s1-t0')?.length) await sleep(50);
    const pid = pool.pids()[0];
    env.cancel();
    await expect(cancelled).rejects.toBeInstanceOf(CancelledFailure);
    if (reused) {
      expect(pid).toBeDefined();
      await sleep(300);
      expect(alive(pid)).toBe(false);
    }
    const next = await run(input(undefined, 's1-t1'));
    expect(next).toMatchObject({ status: 'completed', objective: 0.95 });
  });

  it('resumes from the checkpoint of a previous attempt', async () => {
    const first = setup(reused);
    await first.run(input({ headLr: 0.01, epochs: 2 }));
    const ckpt = join(first.workDir, 'trials/s1-t0/checkpoints/epoch-1.json');
    const { run, points } = setup(reused);
    const env = new MockActivityEnvironment({
      attempt: 2,
      heartbeatDetails: { epoch: 1, lastCheckpoint: ckpt },
    });
    expect(await run(input({ headLr: 0.01, epochs: 4 }), env)).toMatchObject({
      status: 'completed',
    });
    const epochs = points.get('s1-t0')!.filter((p) => p.name === 'val_acc');
    expect(epochs.map((p) => p.epoch)).toEqual([2, 3]);
  });

  it('fails a crashing trial with its stderr and runs the next one', async () => {
    const { run } = setup(reused);
    const crashed = await run(input({ headLr: 0.01, epochs: 3, crashAtEpoch: 1 }));
    expect(crashed.error).toMatch(/exited with code 3: synthetic trainer: crashAtEpoch=1/);
    expect(await run(input(undefined, 's1-t1'))).toMatchObject({ status: 'completed' });
  });
});

describe('reused trainer processes', () => {
  it('run consecutive trials in one process and replace it after maxTrials', async () => {
    const { run, pool } = setup(true, { maxTrials: 2 });
    await run(input(undefined, 's1-t0'));
    const first = pool.pids()[0];
    await run(input(undefined, 's1-t1'));
    expect(first).toBeDefined();
    await sleep(300);
    expect(alive(first)).toBe(false);
    // Its replacement starts once it has exited, before the slot's next trial asks.
    const spare = pool.pids()[0];
    expect(spare).toBeDefined();
    expect(spare).not.toBe(first);
    await run(input(undefined, 's1-t2'));
    const second = pool.pids()[0];
    expect(second).toBe(spare);
    expect(alive(second)).toBe(true);
  });

  it('replace a process whose memory exceeds the limit', async () => {
    const { run, pool } = setup(true, { maxRssMb: 1 });
    const running = run(input({ epochs: 3, sleepMs: 100 }, 's1-t0'));
    while (pool.pids()[0] === undefined) await sleep(20);
    const first = pool.pids()[0];
    await running;
    await sleep(300);
    expect(alive(first)).toBe(false);
    expect(pool.pids()).toEqual([]);
  });

  it('fail clearly when the trainer command does not exist', async () => {
    const { run } = setup(true, { command: ['/nonexistent/trainer-binary'] });
    const outcome = await run(input());
    expect(outcome.error).toMatch(/trainer command not found: \/nonexistent\/trainer-binary/);
  });

  it('replace the process after a failed trial', async () => {
    const { run, pool } = setup(true);
    await run(input(undefined, 's1-t0'));
    const before = pool.pids()[0];
    await run(input({ epochs: 3, crashAtEpoch: 0 }, 's1-t1'));
    await run(input(undefined, 's1-t2'));
    expect(pool.pids()[0]).not.toBe(before);
  });

  it('replace a process that prints after its result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retune-serve-'));
    const trainer = join(dir, 'trainer.mjs');
    // Reports its pid as the objective, so each trial says which process ran it.
    writeFileSync(
      trainer,
      `import { createInterface } from 'node:readline';
      for await (const line of createInterface({ input: process.stdin })) {
        const result = JSON.stringify({ type: 'result', values: { val_acc: process.pid } });
        // One write: the stray line reaches the worker with the result, never with a later trial.
        process.stdout.write(result + '\\n' + JSON.stringify({ type: 'log', msg: 'stray' }) + '\\n');
      }`,
    );
    const { run } = setup(true, { command: [process.execPath, trainer] });
    const first = await run(input(undefined, 's1-t0'));
    const second = await run(input(undefined, 's1-t1'));
    expect(first.status).toBe('completed');
    expect(second.status).toBe('completed');
    expect(second.objective).not.toBe(first.objective);
  });

  it('are not used for a trainer that does not declare reuse: a new process per trial', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retune-pid-'));
    const trainer = join(dir, 'trainer.mjs');
    writeFileSync(
      trainer,
      `console.log(JSON.stringify({ type: 'result', values: { val_acc: process.pid } }));`,
    );
    const { run, pool } = setup(false, { command: [process.execPath, trainer] });
    const a = await run(input(undefined, 's1-t0'));
    const b = await run(input(undefined, 's1-t1'));
    expect(a.objective).not.toBe(b.objective);
    expect(pool.pids()).toEqual([]);
  });
});
