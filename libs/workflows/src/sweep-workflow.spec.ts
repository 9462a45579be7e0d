import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  parseSweepSpec,
  SWEEP_WORKFLOW_TYPE,
  TASK_QUEUES,
  type PlannedTrial,
  type SweepResult,
  type SweepSpecInput,
  type TrialOutcome,
} from '@retune/core';
import type {
  ControlActivities,
  RunTrialInput,
  SweepFinish,
  TrialActivities,
} from '@retune/activities';
import { cancelSignal, progressQuery } from './sweep-workflow';

/**
 * The sweep workflow against a real Temporal dev server, with in-memory activities so the
 * orchestration (parallelism, cancel, failures, best trial) is tested on its own.
 */
let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;

const historyFile = fileURLToPath(new URL('./__histories__/grid-sweep.json', import.meta.url));

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const path = inject('temporalBin');
  env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path } },
  });
  bundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./index.ts', import.meta.url)),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } as never,
  });
}, 180_000);

afterAll(async () => {
  await env?.teardown();
});

interface Recorder {
  planned: PlannedTrial[];
  outcomes: Map<string, TrialOutcome>;
  finished: SweepFinish[];
  started: string[];
  maxConcurrent: number;
}

function fakeActivities(runTrial: (input: RunTrialInput, rec: Recorder) => Promise<TrialOutcome>) {
  const rec: Recorder = {
    planned: [],
    outcomes: new Map(),
    finished: [],
    started: [],
    maxConcurrent: 0,
  };
  let running = 0;
  const control: ControlActivities = {
    async startSweep(_id, planned) {
      rec.planned = planned;
    },
    async recordTrialOutcome(trialId, outcome) {
      rec.outcomes.set(trialId, outcome);
    },
    async finishSweep(_id, finish) {
      rec.finished.push(finish);
    },
  };
  const gpu: TrialActivities = {
    async runTrial(input) {
      rec.started.push(input.trialId);
      running++;
      rec.maxConcurrent = Math.max(rec.maxConcurrent, running);
      try {
        return await runTrial(input, rec);
      } finally {
        running--;
      }
    },
  };
  return { control, gpu, rec };
}

async function withWorkers<T>(
  acts: ReturnType<typeof fakeActivities>,
  fn: () => Promise<T>,
): Promise<T> {
  const controlWorker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUES.control,
    workflowBundle: bundle,
    activities: acts.control,
  });
  const gpuWorker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUES.gpu,
    activities: acts.gpu,
    maxConcurrentActivityTaskExecutions: 8,
    maxHeartbeatThrottleInterval: '200 milliseconds',
    defaultHeartbeatThrottleInterval: '200 milliseconds',
  });
  return controlWorker.runUntil(gpuWorker.runUntil(fn));
}

const baseSpec: SweepSpecInput = {
  name: 'wf',
  dataset: 'demo',
  baseModel: 'demo',
  algorithm: 'grid',
  maxParallel: 2,
  searchSpace: {
    headLr: { type: 'choice', values: [0.001, 0.01, 0.1] },
    freezeDepth: { type: 'choice', values: [0, 2] },
  },
};

// Known objective: best at headLr=0.01, freezeDepth=2.
const score = (p: RunTrialInput['params']) =>
  1 - Math.abs(Math.log10(p.headLr as number) + 2) - 0.1 * Math.abs((p.freezeDepth as number) - 2);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let seq = 0;
const start = (spec: SweepSpecInput) =>
  env.client.workflow.start(SWEEP_WORKFLOW_TYPE, {
    taskQueue: TASK_QUEUES.control,
    workflowId: `wf-test-${Date.now()}-${seq++}`,
    args: [{ sweepId: `s${seq}`, spec: parseSweepSpec(spec) }],
  });

describe('sweepWorkflow', () => {
  it('replays a recorded history without nondeterminism', async () => {
    // A change that breaks this breaks running sweeps on deploy: version it with patched().
    const history = JSON.parse(readFileSync(historyFile, 'utf8'));
    await expect(
      Worker.runReplayHistory({ workflowBundle: bundle }, history),
    ).resolves.toBeUndefined();
  });

  it('runs a 6-trial grid with bounded parallelism and picks the best', async () => {
    const acts = fakeActivities(async (input) => {
      await sleep(150);
      return {
        status: 'completed',
        objective: score(input.params),
        values: { val_acc: score(input.params) },
      };
    });
    const result = await withWorkers(acts, async () => {
      const handle = await start(baseSpec);
      const res = (await handle.result()) as SweepResult;
      // Re-record the replay fixture after an intentional workflow change.
      if (process.env.RETUNE_RECORD_HISTORIES === '1') {
        writeFileSync(historyFile, historyToJSON(await handle.fetchHistory()));
      }
      return res;
    });
    expect(result.status).toBe('completed');
    expect(result.bestParams).toEqual({ headLr: 0.01, freezeDepth: 2 });
    expect(result.bestTrialId).toBe(result.sweepId + '-t3');
    expect(result.progress).toMatchObject({ total: 6, completed: 6, failed: 0, running: 0 });
    expect(acts.rec.planned).toHaveLength(6);
    expect(acts.rec.outcomes.size).toBe(6);
    expect(acts.rec.maxConcurrent).toBe(2);
    expect(acts.rec.finished).toEqual([
      { status: 'completed', bestTrialId: result.bestTrialId, bestValue: 1 },
    ]);
  });

  it('records a failing trial as failed and carries on', async () => {
    const acts = fakeActivities(async (input) => {
      if (input.number === 1)
        throw ApplicationFailure.nonRetryable('worker could not load the dataset');
      return { status: 'completed', objective: score(input.params), values: {} };
    });
    const result = await withWorkers(acts, async () => (await start(baseSpec)).result());
    expect(result.status).toBe('completed');
    expect(result.progress).toMatchObject({ completed: 5, failed: 1 });
    const failed = [...acts.rec.outcomes.values()].find((o) => o.status === 'failed');
    expect(failed?.error).toMatch(/could not load the dataset/);
  });

  it('cancel signal stops running trials and starts no more', async () => {
    const acts = fakeActivities(async () => {
      const ctx = Context.current();
      const beat = setInterval(() => ctx.heartbeat(), 100);
      try {
        await ctx.cancelled; // never resolves; rejects on cancellation
        throw new Error('unreachable');
      } finally {
        clearInterval(beat);
      }
    });
    const result = await withWorkers(acts, async () => {
      const handle = await start({ ...baseSpec, maxParallel: 2 });
      while (acts.rec.started.length < 2) await sleep(50);
      const progress = await handle.query(progressQuery);
      expect(progress).toMatchObject({ state: 'running', running: 2, total: 6 });
      await handle.signal(cancelSignal);
      return handle.result();
    });
    expect(result.status).toBe('cancelled');
    expect(acts.rec.started).toHaveLength(2);
    expect([...acts.rec.outcomes.values()].map((o) => o.status)).toEqual([
      'cancelled',
      'cancelled',
    ]);
    expect(acts.rec.finished.map((f) => f.status)).toEqual(['cancelled']);
  });

  it('fails the sweep with the reason when the plan is invalid', async () => {
    const acts = fakeActivities(async () => ({ status: 'completed', objective: 1, values: {} }));
    const result = await withWorkers(acts, async () =>
      (await start({ ...baseSpec, maxTrials: 2 })).result(),
    );
    expect(result.status).toBe('failed');
    expect(acts.rec.started).toHaveLength(0);
    expect(acts.rec.finished[0]?.error).toMatch(/grid has 6 points but maxTrials is 2/);
  });
});
