import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createSchedule,
  createTemporalScheduleGateway,
  deleteSchedule,
  triggerSchedule,
  type ScheduleDeps,
} from '@retune/api';
import type { RetrainResult, RetrainRunView } from '@retune/core';
import type { Repositories } from '@retune/db';
import { startTestStack, type TestStack } from './test-support/test-stack';

/**
 * Scheduled retraining for real: domain → Temporal Schedule / workflow → control and GPU
 * workers → synthetic trainer → SQLite registry.
 */
let stack: TestStack | undefined;
let env: TestWorkflowEnvironment;
let repos: Repositories;
let deps: ScheduleDeps;
let dataset: string;

beforeAll(async () => {
  stack = await startTestStack({
    temporalBin: inject('temporalBin'),
    dirPrefix: 'retune-retrain-e2e-',
    workerId: 'retrain-e2e',
    slots: 2,
    bundle: true,
    heartbeatIntervalMs: 200,
  });
  ({ env, repos } = stack);
  dataset = join(stack.dir, 'dataset');
  mkdirSync(dataset);
  writeFileSync(join(dataset, 'a.txt'), 'first');
  deps = { repos, schedules: createTemporalScheduleGateway(env.client) };
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function nthRun(scheduleId: string, n: number): Promise<RetrainRunView> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const runs = (await repos.retrainRuns.listBySchedule(scheduleId, 100)).reverse();
    const run = runs[n - 1];
    if (run && run.status !== 'running') return run;
    if (Date.now() > deadline)
      throw new Error(`retrain run ${n} did not finish: ${JSON.stringify(runs)}`);
    await sleep(200);
  }
}

describe('scheduled retraining end to end', () => {
  it('promotes a first champion, keeps it against an equal retrain, and skips unchanged data', async () => {
    const schedule = await createSchedule(deps, {
      name: 'e2e nightly',
      task: 'e2e-digits',
      intervalSeconds: 24 * 3600,
      paused: true,
      spec: {
        name: 'e2e retrain',
        dataset,
        baseModel: 'demo:mnist-0-4-cnn',
        trainer: { name: 'synthetic' },
        algorithm: 'grid',
        maxParallel: 2,
        fixed: { epochs: 2 },
        searchSpace: { headLr: { type: 'choice', values: [0.001, 0.01] } },
      },
    });

    // 1: no champion yet → the spec's whole grid, best trial promoted.
    const { workflowId } = await triggerSchedule(deps, schedule.id, true);
    const first = (await env.client.workflow.getHandle(workflowId!).result()) as RetrainResult;
    expect(first.status).toBe('promoted');
    const champion = await repos.modelVersions.champion('e2e-digits');
    expect(champion).toMatchObject({
      version: 1,
      params: { epochs: 2, headLr: 0.01 },
      metricValue: first.candidateMetric,
      retrainRunId: first.runId,
    });
    const run1 = await nthRun(schedule.id, 1);
    expect(run1).toMatchObject({
      status: 'promoted',
      forced: true,
      candidateVersionId: champion!.id,
    });
    expect((await repos.datasetSnapshots.get(run1.snapshotId!))?.fileCount).toBe(1);

    // 2: unchanged data, an ordinary trigger → skipped without training.
    await triggerSchedule(deps, schedule.id, false);
    const run2 = await nthRun(schedule.id, 2);
    expect(run2).toMatchObject({ status: 'skipped', sweepId: null });

    // 3: new data → retrain the champion's config; the same score is not better → kept.
    writeFileSync(join(dataset, 'b.txt'), 'second');
    // A schedule's workflow id is its prefix plus the fire time in whole seconds: a second
    // firing within the same second as the last would be refused as a duplicate.
    await sleep(1100);
    await triggerSchedule(deps, schedule.id, false);
    const run3 = await nthRun(schedule.id, 3);
    expect(run3).toMatchObject({ status: 'kept', championVersionId: champion!.id });
    expect(run3.reason).toMatch(/not better/);
    const versions = await repos.modelVersions.list({ task: 'e2e-digits' });
    expect(versions.map((v) => [v.version, v.isChampion])).toEqual([
      [2, false],
      [1, true],
    ]);
    expect((await repos.sweeps.get(run3.sweepId!))?.trials).toHaveLength(1);

    await deleteSchedule(deps, schedule.id);
    expect(await deps.schedules.describe(schedule.temporalScheduleId)).toBeNull();
  });
  it('with the tfjs trainer, re-scores the saved candidate and champion on one holdout', async () => {
    const schedule = await createSchedule(deps, {
      name: 'e2e tfjs',
      task: 'e2e-tfjs',
      intervalSeconds: 24 * 3600,
      paused: true,
      spec: {
        name: 'e2e tfjs retrain',
        dataset: 'demo:mnist-5-9',
        baseModel: 'demo:scratch',
        algorithm: 'grid',
        fixed: { epochs: 1, batchSize: 32 },
        searchSpace: { freezeDepth: { type: 'choice', values: ['full'] } },
      },
    });
    const run = async (n: number) => {
      const { workflowId } = await triggerSchedule(deps, schedule.id, true);
      await env.client.workflow.getHandle(workflowId!).result();
      return nthRun(schedule.id, n);
    };
    const first = await run(1);
    expect(first.status).toBe('promoted');
    const champion = await repos.modelVersions.champion('e2e-tfjs');
    expect(champion!.artifact).toMatch(/model\.json$/);

    const second = await run(2);
    expect(['promoted', 'kept']).toContain(second.status);
    // Both scored on the same 250 validation images, not taken from the recorded val_acc.
    expect(second.reason).toMatch(/val accuracy \(250 images\)/);
    expect(second.candidateMetric).toBeGreaterThanOrEqual(0);
    expect(second.championMetric).toBeGreaterThanOrEqual(0);
    await deleteSchedule(deps, schedule.id);
  }, 180_000);
});
