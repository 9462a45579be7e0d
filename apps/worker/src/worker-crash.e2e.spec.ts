import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTemporalSweepGateway, launchSweep } from '@retune/api';
import { sweepWorkflowId, trialId, type SweepResult } from '@retune/core';
import type { Repositories } from '@retune/db';
import { processesMatching } from './test-support/processes';
import { startTestStack, type TestStack } from './test-support/test-stack';

/**
 * A GPU worker killed with SIGKILL mid-trial: Temporal notices the missing heartbeat, the trial
 * moves to another worker and resumes from the last checkpoint the first one reported.
 */
let stack: TestStack | undefined;
let env: TestWorkflowEnvironment;
let repos: Repositories;
let workDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  stack = await startTestStack({
    temporalBin: inject('temporalBin'),
    dirPrefix: 'retune-crash-',
    workerId: 'control',
    slots: 1,
    queues: { control: true, gpu: false },
  });
  ({ env, repos, workDir } = stack);
}, 240_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await stack?.stop();
});

function gpuWorker(id: string): ChildProcess {
  const child = stack!.spawnGpuWorker(id);
  children.push(child);
  return child;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Trainer processes a worker started: per-trial ones and (reusable trainers) its pooled ones. */
const trainerProcesses = (worker: string) => [
  ...processesMatching(join(workDir, 'trials')),
  ...processesMatching(join(workDir, 'pool', worker)),
];

describe('a GPU worker killed mid-trial', () => {
  it('is replaced: the trial resumes from its checkpoint on another worker', async () => {
    const first = gpuWorker('gpu-a');
    const sweep = await launchSweep(
      { repos, temporal: createTemporalSweepGateway(env.client) },
      {
        name: 'crash',
        dataset: 'd',
        baseModel: 'b',
        algorithm: 'grid',
        trainer: { name: 'synthetic' },
        heartbeatTimeoutSeconds: 3,
        fixed: { epochs: 10, sleepMs: 400 },
        searchSpace: { headLr: { type: 'choice', values: [0.01] } },
      },
    );
    const id = trialId(sweep.id, 0);
    const deadline = Date.now() + 90_000;
    // Late enough that a heartbeat after the first (throttled to 1 s) carried a checkpoint.
    while ((await repos.metrics.forTrial(id)).filter((p) => p.name === 'val_acc').length < 5) {
      if (Date.now() > deadline) throw new Error('the first worker never got going');
      await sleep(100);
    }
    // The synthetic trainer declares reuse: the trial runs on gpu-a's pooled process.
    expect(processesMatching(join(workDir, 'pool', 'gpu-a'))).toHaveLength(1);
    first.kill('SIGKILL');
    gpuWorker('gpu-b');

    const result = (await env.client.workflow
      .getHandle(sweepWorkflowId(sweep.id))
      .result()) as SweepResult;
    expect(result.status).toBe('completed');
    expect(result.bestValue).toBeCloseTo(0.95, 6);

    const trial = await repos.trials.get(id);
    expect(trial).toMatchObject({ status: 'completed', worker: 'gpu-b', attempts: 2 });
    const retryInput = JSON.parse(
      readFileSync(join(workDir, 'trials', id, 'input-attempt-2.json'), 'utf8'),
    );
    expect(retryInput.resumeFrom).toMatch(/epoch-\d+\.json$/);
    expect(existsSync(retryInput.resumeFrom)).toBe(true);
    // Every epoch is stored exactly once, whichever attempt produced it.
    const epochs = (await repos.metrics.forTrial(id))
      .filter((p) => p.name === 'val_acc')
      .map((p) => p.epoch);
    expect(epochs).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await sleep(500);
    // The dead worker's pooled trainer ends when its stdin closes (a per-trial one at its next
    // write to the closed pipe): nothing of gpu-a is left.
    expect(trainerProcesses('gpu-a')).toEqual([]);
  }, 150_000);
});
