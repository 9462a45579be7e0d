import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTemporalSweepGateway, launchSweep, type SweepGateway } from '@retune/api';
import { sweepWorkflowId, type SweepResult } from '@retune/core';
import type { Repositories } from '@retune/db';
import { startTestStack, type TestStack } from './test-support/test-stack';

/**
 * Multi-task fine-tuning (#12, docs/multitask.md) through the real stack: launch → Temporal →
 * workers → the tfjs trainer on demo:mnist-multitask → per-task metrics in SQLite.
 */
let stack: TestStack | undefined;
let env: TestWorkflowEnvironment;
let repos: Repositories;
let gateway: SweepGateway;

beforeAll(async () => {
  stack = await startTestStack({
    temporalBin: inject('temporalBin'),
    dirPrefix: 'retune-e2e-mt-',
    workerId: 'e2e-mt-worker',
    slots: 2,
    bundle: true,
    heartbeatIntervalMs: 200,
  });
  ({ env, repos } = stack);
  gateway = createTemporalSweepGateway(env.client);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

const resultOf = (sweepId: string) =>
  env.client.workflow.getHandle(sweepWorkflowId(sweepId)).result() as Promise<SweepResult>;

const spec = {
  name: 'e2e multitask',
  dataset: 'demo:mnist-multitask',
  baseModel: 'demo:scratch',
  algorithm: 'grid',
  maxParallel: 2,
  metric: { name: 'val_acc_parity' },
  fixed: { epochs: 2, batchSize: 32, tasks: 'digit,parity', trainPerClass: 5, valPerClass: 5 },
  searchSpace: { taskWeights: { type: 'choice', values: [0.5, 'auto'] } },
};

describe('a multi-task sweep end to end', () => {
  it('trains every trial with two heads and stores per-task curves and results', async () => {
    const sweep = await launchSweep({ repos, temporal: gateway }, spec);
    const result = await resultOf(sweep.id);
    const detail = (await repos.sweeps.get(sweep.id))!;
    expect(detail.trials.map((t) => [t.status, t.error])).toEqual([
      ['completed', null],
      ['completed', null],
    ]);
    expect(result.status).toBe('completed');
    for (const trial of detail.trials) {
      expect(trial.values.best_val_acc_digit).toBeTypeOf('number');
      expect(trial.values.best_val_acc_parity).toBeTypeOf('number');
      const points = await repos.metrics.forTrial(trial.id);
      const epochs = (name: string) => points.filter((p) => p.name === name).map((p) => p.epoch);
      for (const name of ['val_acc_digit', 'val_acc_parity', 'val_loss_digit', 'loss_parity']) {
        expect(epochs(name)).toEqual([0, 1]);
      }
      const weights = points.filter((p) => p.name === 'task_weight_parity');
      if (trial.params.taskWeights === 0.5)
        expect(weights.every((p) => p.value === 0.5)).toBe(true);
    }
  }, 180_000);

  it('refuses bad multi-task params at launch (nothing stored) and unknown tasks before any trial', async () => {
    const before = (await repos.sweeps.list({ limit: 100 })).length;
    await expect(
      launchSweep(
        { repos, temporal: gateway },
        { ...spec, searchSpace: { taskWeights: { type: 'choice', values: ['1,2,3'] } } },
      ),
    ).rejects.toThrow(/taskWeights/);
    expect((await repos.sweeps.list({ limit: 100 })).length).toBe(before);

    const sweep = await launchSweep(
      { repos, temporal: gateway },
      {
        ...spec,
        name: 'e2e multitask unknown task',
        fixed: { ...spec.fixed, tasks: 'digit,colour' },
      },
    );
    const result = await resultOf(sweep.id);
    expect(result.status).toBe('failed');
    const detail = (await repos.sweeps.get(sweep.id))!;
    expect(detail.trials).toEqual([]);
    expect(detail.error).toMatch(
      /tasks: "colour" is not a task of demo:mnist-multitask \(its tasks: digit, parity\)/,
    );
  }, 120_000);
});
