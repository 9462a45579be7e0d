import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseSweepSpec,
  SWEEP_WORKFLOW_TYPE,
  TASK_QUEUES,
  type PlannedTrial,
  type SamplerActivities,
  type SuggestRequest,
  type SweepResult,
  type SweepSpecInput,
} from '@retune/core';
import type { ControlActivities, PreflightActivities, TrialActivities } from '@retune/activities';
import {
  startWorkflowTestEnv,
  WORKFLOW_TEST_ENV_TIMEOUT_MS,
} from './test-support/workflow-test-env';

/**
 * gp/cmaes sweeps in the workflow, with a stand-in for the Python sampler worker on its task
 * queue (the real one: apps/worker/src/optuna-sweep.e2e.spec.ts): what it is asked, that its
 * params and attrs reach the trials and survive continue-as-new, and that its failure fails the
 * sweep with the reason.
 */
let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  ({ env, bundle } = await startWorkflowTestEnv());
}, WORKFLOW_TEST_ENV_TIMEOUT_MS);

afterAll(async () => {
  await env?.teardown();
});

const spec: SweepSpecInput = {
  name: 'optuna wf',
  dataset: 'demo',
  baseModel: 'demo',
  algorithm: 'cmaes',
  maxTrials: 8,
  maxParallel: 2,
  searchSpace: {
    x: { type: 'uniform', min: 0, max: 1 },
    y: { type: 'uniform', min: 0, max: 1 },
  },
};

async function runSweep(
  suggest: SamplerActivities['suggestParams'],
  extra: { continueAsNewAfterEvents?: number } = {},
) {
  const planned: PlannedTrial[] = [];
  const control: ControlActivities = {
    async startSweep() {},
    async registerTrial(_id, trial) {
      planned.push(trial);
    },
    async reopenTrial() {},
    async updateSweep() {},
    async recordTrialOutcome() {},
    async recordTrials(_id, batch) {
      planned.push(...batch.register);
    },
    async finishSweep() {},
    async loadWarmStart() {
      return { trials: [], sourceSweeps: 0 };
    },
  };
  const gpu: TrialActivities & PreflightActivities = {
    async preflightSweep() {
      return { problems: [] };
    },
    async runTrial(input) {
      const v = -Math.abs((input.params.x as number) - 0.3);
      return { status: 'completed', objective: v, values: {} };
    },
  };
  const workers = await Promise.all([
    Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUES.control,
      workflowBundle: bundle,
      activities: control,
    }),
    Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUES.gpu,
      activities: gpu,
    }),
    Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUES.sampler,
      activities: { suggestParams: suggest },
    }),
  ]);
  const run = async () => {
    const handle = await env.client.workflow.start(SWEEP_WORKFLOW_TYPE, {
      taskQueue: TASK_QUEUES.control,
      workflowId: `optuna-wf-${Date.now()}-${Math.random()}`,
      args: [{ sweepId: 'so', spec: parseSweepSpec(spec), ...extra }],
    });
    const result = (await handle.result()) as SweepResult;
    const last = await env.client.workflow.getHandle(handle.workflowId).describe();
    return { result, runs: last.runId === handle.firstExecutionRunId ? 1 : 2 };
  };
  const { result, runs } = await workers[0]!.runUntil(
    workers[1]!.runUntil(workers[2]!.runUntil(run)),
  );
  return { result, planned, runs };
}

describe('gp / cmaes sweeps ask the sampler worker', () => {
  it('runs every trial on its params and sends back the attrs it returned, across continue-as-new', async () => {
    const asked: SuggestRequest[] = [];
    const { result, planned, runs } = await runSweep(
      async (req) => {
        asked.push(req);
        const n = req.number;
        return {
          params: { x: n / 10, y: 0.5 },
          attrs: { 'cma:generation': n, [`cma:optimizer:0`]: `state-${n}` },
          supersedes: ['cma:optimizer'],
        };
      },
      { continueAsNewAfterEvents: 40 },
    );
    expect(runs).toBe(2);
    expect(result.status).toBe('completed');
    expect(result.progress).toMatchObject({ total: 8, completed: 8 });
    expect(planned.map((t) => t.params.x).sort()).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    expect(result.bestParams).toEqual({ x: 0.3, y: 0.5 });
    const last = asked.find((r) => r.number === 7)!;
    expect(last).toMatchObject({ algorithm: 'cmaes', seed: 0, directions: ['maximize'] });
    expect(last.trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // Generations kept for every trial, the pickled optimizer only on the newest.
    expect(last.trials[0]!.attrs).toEqual({ 'cma:generation': 0 });
    expect(last.trials[6]!.attrs).toEqual({ 'cma:generation': 6, 'cma:optimizer:0': 'state-6' });
  });

  it('fails the sweep with the reason when the sampler worker cannot answer', async () => {
    const { result, planned } = await runSweep(async () => {
      throw ApplicationFailure.nonRetryable('No module named torch', 'ModuleNotFoundError');
    });
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/could not propose trial 0 \(cmaes\): No module named torch/);
    expect(planned).toEqual([]);
  });
});
