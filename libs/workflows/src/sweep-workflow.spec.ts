import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseSweepSpec,
  sampleRandomTrial,
  SWEEP_WORKFLOW_TYPE,
  TASK_QUEUES,
  TRIAL_DEFERRED_ERROR,
  type PlannedTrial,
  type SweepResult,
  type SweepSpecInput,
  type TrialOutcome,
} from '@retune/core';
import type {
  ControlActivities,
  PreflightActivities,
  RunTrialInput,
  SweepFinish,
  TrialActivities,
} from '@retune/activities';
import {
  cancelSignal,
  extendBudgetSignal,
  extendGpuBudgetSignal,
  pauseSignal,
  progressQuery,
  resumeSignal,
  retryFailedSignal,
  trialReportSignal,
} from './sweep-workflow';
import { LONGER_RUNS_PATCH } from './sweep-run';
import {
  startWorkflowTestEnv,
  WORKFLOW_TEST_ENV_TIMEOUT_MS,
} from './test-support/workflow-test-env';

/**
 * The sweep workflow against a real Temporal dev server, with in-memory activities so the
 * orchestration (parallelism, cancel, failures, best trial) is tested on its own.
 */
let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;

const historyFile = fileURLToPath(new URL('./__histories__/grid-sweep.json', import.meta.url));
const pbtHistoryFile = fileURLToPath(new URL('./__histories__/pbt-sweep.json', import.meta.url));
/** Registration ahead, each outcome and registration its own activity (before record-batched). */
const aheadHistoryFile = fileURLToPath(
  new URL('./__histories__/register-ahead-sweep.json', import.meta.url),
);

beforeAll(async () => {
  ({ env, bundle } = await startWorkflowTestEnv());
}, WORKFLOW_TEST_ENV_TIMEOUT_MS);

afterAll(async () => {
  await env?.teardown();
});

interface Recorder {
  planned: PlannedTrial[];
  outcomes: Map<string, TrialOutcome>;
  finished: SweepFinish[];
  started: string[];
  reopened: string[];
  sweepUpdates: { status: 'running' | 'paused'; plannedTrials: number; gpuHoursBudget?: number }[];
  maxConcurrent: number;
  /** Sizes of each recordTrials call (patch record-trials-batched). */
  batches: { register: number; outcomes: number }[];
  /** Pipelined slots: runTrial activities at once, those waiting for a predecessor included. */
  maxLaunched: number;
  /** Pipelined slots: each successor's predecessor, by trialId. */
  after: Map<string, string>;
  /** Pipelined slots: give each successor's first attempt back, as a stuck GPU worker does. */
  deferFirst: boolean;
  deferred: string[];
}

function fakeActivities(
  runTrial: (input: RunTrialInput, rec: Recorder) => Promise<TrialOutcome>,
  warmStart: Awaited<ReturnType<ControlActivities['loadWarmStart']>> = {
    trials: [],
    sourceSweeps: 0,
  },
  preflightProblems: string[] = [],
) {
  const rec: Recorder = {
    planned: [],
    outcomes: new Map(),
    finished: [],
    started: [],
    reopened: [],
    sweepUpdates: [],
    maxConcurrent: 0,
    batches: [],
    maxLaunched: 0,
    after: new Map(),
    deferFirst: false,
    deferred: [],
  };
  let running = 0;
  let launched = 0;
  const ended = new Set<string>();
  const control: ControlActivities = {
    async startSweep() {},
    async registerTrial(_id, trial) {
      rec.planned.push(trial);
    },
    async reopenTrial(trialId) {
      rec.reopened.push(trialId);
    },
    async updateSweep(_id, update) {
      rec.sweepUpdates.push(update);
    },
    async recordTrialOutcome(trialId, outcome) {
      rec.outcomes.set(trialId, outcome);
    },
    async recordTrials(_id, batch) {
      rec.planned.push(...batch.register);
      rec.batches.push({ register: batch.register.length, outcomes: batch.outcomes.length });
      for (const { trialId, outcome } of batch.outcomes) rec.outcomes.set(trialId, outcome);
    },
    async finishSweep(_id, finish) {
      rec.finished.push(finish);
    },
    async loadWarmStart() {
      return warmStart;
    },
  };
  const gpu: TrialActivities & PreflightActivities = {
    async preflightSweep() {
      return { problems: preflightProblems };
    },
    async runTrial(input) {
      rec.maxLaunched = Math.max(rec.maxLaunched, ++launched);
      // Pipelined slots: as the GPU worker does, start only once the predecessor has ended.
      if (input.after) rec.after.set(input.trialId, input.after);
      if (input.after && rec.deferFirst && !rec.deferred.includes(input.trialId)) {
        rec.deferred.push(input.trialId);
        launched--;
        throw ApplicationFailure.nonRetryable('every place waits', TRIAL_DEFERRED_ERROR);
      }
      try {
        if (input.after) await untilEnded(input.after, ended);
      } catch (err) {
        launched--;
        ended.add(input.trialId);
        throw err;
      }
      rec.started.push(input.trialId);
      running++;
      rec.maxConcurrent = Math.max(rec.maxConcurrent, running);
      try {
        return await runTrial(input, rec);
      } finally {
        running--;
        launched--;
        ended.add(input.trialId);
      }
    },
  };
  return { control, gpu, rec };
}

/** Heartbeats (so cancellation arrives) until `trialId`'s fake runTrial has returned. */
async function untilEnded(trialId: string, ended: Set<string>): Promise<void> {
  const ctx = Context.current();
  while (!ended.has(trialId)) {
    ctx.heartbeat();
    if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason;
    await sleep(10);
  }
}

async function withWorkers<T>(
  acts: ReturnType<typeof fakeActivities>,
  fn: () => Promise<T>,
  gpuWorkers = 1,
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
  if (gpuWorkers === 2) {
    // A second GPU worker of the same fleet: its trials and the first's share one lane cap.
    // Its own connection: one process may not run two workers of a queue on one connection.
    const connection = await NativeConnection.connect({ address: env.address });
    const second = await Worker.create({
      connection,
      taskQueue: TASK_QUEUES.gpu,
      activities: acts.gpu,
      maxConcurrentActivityTaskExecutions: 8,
    });
    try {
      return await controlWorker.runUntil(gpuWorker.runUntil(second.runUntil(fn)));
    } finally {
      await connection.close();
    }
  }
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
const start = (spec: SweepSpecInput, extra: { continueAsNewAfterEvents?: number } = {}) =>
  env.client.workflow.start(SWEEP_WORKFLOW_TYPE, {
    taskQueue: TASK_QUEUES.control,
    workflowId: `wf-test-${Date.now()}-${seq++}`,
    args: [{ sweepId: `s${seq}`, spec: parseSweepSpec(spec), ...extra }],
  });

/** Starts a sweep and waits for it: its result and its whole history (for replay checks). */
async function runToEnd(spec: SweepSpecInput) {
  const handle = await start(spec);
  return { result: (await handle.result()) as SweepResult, history: await handle.fetchHistory() };
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

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

  it('a new sweep takes the 20,000-event bound (its patch marker is in history)', async () => {
    const acts = fakeActivities(async (input) => ({
      status: 'completed',
      objective: score(input.params),
      values: { val_acc: score(input.params) },
    }));
    const { history } = await withWorkers(acts, () => runToEnd(baseSpec));
    const patches = (history.events ?? []).flatMap((e) =>
      (e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads ?? []).map((p) =>
        Buffer.from(p.data ?? []).toString(),
      ),
    );
    expect(patches.some((d) => d.includes(LONGER_RUNS_PATCH))).toBe(true);
  });

  it('never picks an infeasible trial as best; trials get the constraints to report', async () => {
    const acts = fakeActivities(async (input) => {
      expect(input.constraints).toEqual([{ name: 'trainable_params', max: 5 }]);
      await sleep(50);
      const size = input.params.freezeDepth === 2 ? 10 : 1;
      return {
        status: 'completed',
        objective: score(input.params),
        values: { val_acc: score(input.params), trainable_params: size },
      };
    });
    const spec = { ...baseSpec, constraints: [{ name: 'trainable_params', max: 5 }] };
    const result = await withWorkers(acts, async () => (await start(spec)).result());
    expect(result.status).toBe('completed');
    // The overall best (freezeDepth 2) breaks the constraint: the best feasible one wins.
    expect(result.bestParams).toEqual({ headLr: 0.01, freezeDepth: 0 });
    expect(result.progress).toMatchObject({ completed: 6, failed: 0 });
    // The workflow marks the infeasible ones for the database (and the dashboard).
    const marked = acts.rec.planned.filter((t) => acts.rec.outcomes.get(t.trialId)?.infeasible);
    expect(marked.map((t) => t.params.freezeDepth)).toEqual([2, 2, 2]);
  });

  it('runs a multi-objective sweep: every trial gets the objectives, the result its Pareto front', async () => {
    // Accuracy peaks at freezeDepth 2 but weights grow with it (made-up): both depths are optimal.
    const acts = fakeActivities(async (input) => {
      expect(input.objectives).toEqual([{ name: 'trainable_params', goal: 'minimize' }]);
      const weights = 1000 + 100 * (input.params.freezeDepth as number);
      return {
        status: 'completed',
        objective: score(input.params),
        values: { val_acc: score(input.params), trainable_params: weights },
      };
    });
    const spec: SweepSpecInput = {
      ...baseSpec,
      objectives: [{ name: 'trainable_params', goal: 'minimize' }],
    };
    const result = await withWorkers(acts, async () => (await start(spec)).result());
    expect(result.status).toBe('completed');
    const front = new Set(result.paretoTrialIds);
    // Grid order: (0.001,0) (0.001,2) (0.01,0) (0.01,2) (0.1,0) (0.1,2); the front is the best
    // accuracy at each freeze depth: (0.01,0) → t2 and (0.01,2) → t3.
    expect(front).toEqual(new Set([`${result.sweepId}-t2`, `${result.sweepId}-t3`]));
  });

  it('warm-starts TPE from earlier trials instead of sampling its first trials at random', async () => {
    const tpeSpec: SweepSpecInput = {
      ...baseSpec,
      algorithm: 'tpe',
      maxTrials: 2,
      maxParallel: 1,
      seed: 5,
      tpe: { nStartupTrials: 10 },
      searchSpace: { headLr: { type: 'loguniform', min: 1e-4, max: 1 } },
    };
    const earlier = Array.from({ length: 30 }, (_, i) => {
      const headLr = 10 ** (-4 + (4 * i) / 29);
      return { params: { headLr }, values: [1 - Math.abs(Math.log10(headLr) + 2)] };
    });
    const run = async (warm: boolean) => {
      const acts = fakeActivities(async () => ({ status: 'completed', objective: 0, values: {} }), {
        trials: warm ? earlier : [],
        sourceSweeps: warm ? 3 : 0,
      });
      await withWorkers(acts, async () =>
        (await start(warm ? { ...tpeSpec, warmStart: {} } : tpeSpec)).result(),
      );
      return acts.rec.planned.map((t) => Math.log10(t.params.headLr as number));
    };
    const cold = await run(false);
    const warm = await run(true);
    const random = sampleRandomTrial(parseSweepSpec(tpeSpec).searchSpace, 5, 0);
    expect(cold[0]).toBeCloseTo(Math.log10(random.headLr as number), 10);
    // With 30 earlier trials TPE is past its start-up and proposes near the earlier optimum (-2).
    for (const x of warm) expect(Math.abs(x + 2)).toBeLessThan(0.8);
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

  it('a sweep whose every trial failed ends failed with their common reason', async () => {
    const acts = fakeActivities(async () => {
      throw ApplicationFailure.nonRetryable('worker could not load the dataset');
    });
    const result = await withWorkers(acts, async () => (await start(baseSpec)).result());
    expect(result.status).toBe('failed');
    expect(result.progress).toMatchObject({ completed: 0, failed: 6 });
    expect(result.error).toMatch(/^all 6 trials failed: .*could not load the dataset/);
    expect(acts.rec.finished).toEqual([
      expect.objectContaining({ status: 'failed', error: result.error }),
    ]);
  });

  it('a preflight problem fails the sweep once, before any trial starts', async () => {
    const acts = fakeActivities(
      async () => ({ status: 'completed', objective: 1, values: {} }),
      undefined,
      ['dataset: the folder /data/cats does not exist on the GPU worker'],
    );
    const result = await withWorkers(acts, async () => (await start(baseSpec)).result());
    expect(result.status).toBe('failed');
    expect(acts.rec.started).toEqual([]);
    expect(acts.rec.planned).toEqual([]);
    expect(acts.rec.finished[0]?.error).toMatch(
      /would fail every trial, so none was started: dataset: the folder \/data\/cats does not exist/,
    );
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
    // The two running and those launched behind them (pipelined slots): cancelled while they
    // wait, or as soon as they start when their predecessor's end beats the cancellation.
    expect(acts.rec.started.length).toBeLessThanOrEqual(4);
    const statuses = [...acts.rec.outcomes.values()].map((o) => o.status);
    expect(statuses.length).toBe(result.progress.started);
    expect(statuses.length).toBeGreaterThanOrEqual(2);
    expect(statuses.length).toBeLessThanOrEqual(4);
    expect(new Set(statuses)).toEqual(new Set(['cancelled']));
    expect(acts.rec.finished.map((f) => f.status)).toEqual(['cancelled']);
  });

  it('pause stops launching trials until resume; both reach the sweep row', async () => {
    const acts = fakeActivities(async () => {
      await sleep(100);
      return { status: 'completed', objective: 0.5, values: {} };
    });
    const spec = { ...baseSpec, algorithm: 'random' as const, maxTrials: 5, maxParallel: 1 };
    const result = await withWorkers(acts, async () => {
      const handle = await start(spec);
      await until(() => acts.rec.started.length >= 2, 'two trials');
      await handle.signal(pauseSignal);
      await until(async () => (await handle.query(progressQuery)).running === 0, 'drain');
      const pausedAt = acts.rec.started.length;
      expect((await handle.query(progressQuery)).state).toBe('paused');
      await sleep(500);
      expect(acts.rec.started.length).toBe(pausedAt);
      await handle.signal(resumeSignal);
      return handle.result();
    });
    expect(result.status).toBe('completed');
    expect(result.progress.completed).toBe(5);
    expect(acts.rec.sweepUpdates.map((u) => u.status)).toEqual(['paused', 'running']);
  });

  it('extendBudget adds trials to a random sweep and updates the planned count', async () => {
    const acts = fakeActivities(async () => {
      await sleep(100);
      return { status: 'completed', objective: 0.5, values: {} };
    });
    const spec = { ...baseSpec, algorithm: 'random' as const, maxTrials: 3, maxParallel: 1 };
    const result = await withWorkers(acts, async () => {
      const handle = await start(spec);
      await until(() => acts.rec.started.length >= 1, 'first trial');
      await handle.signal(extendBudgetSignal, 2);
      return handle.result();
    });
    expect(result.progress).toMatchObject({ total: 5, completed: 5 });
    expect(new Set(acts.rec.planned.map((t) => t.number))).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(acts.rec.sweepUpdates.at(-1)).toEqual({ status: 'running', plannedTrials: 5 });
  });

  describe('GPU-time budget', () => {
    // A synthetic trainer whose every trial reports 0.1 GPU-hour (360 s) on its slot.
    const acts = () =>
      fakeActivities(async () => {
        await sleep(200);
        return { status: 'completed', objective: 0.5, values: {}, gpuSeconds: 360 };
      });
    // No maxTrials: the budget alone bounds the sweep.
    const spec = { ...baseSpec, algorithm: 'random' as const, maxParallel: 1 };

    it("stops launching when the finished trials' mean says the next would not fit", async () => {
      const a = acts();
      const result = await withWorkers(a, async () =>
        (await start({ ...spec, budget: { gpuHours: 0.25 } })).result(),
      );
      // 360 s spent, 360 + 360 ≤ 900 starts a second; 720 + 360 > 900 starts no third.
      expect(result.status).toBe('completed');
      expect(a.rec.started).toHaveLength(2);
      expect(result.progress).toMatchObject({
        completed: 2,
        gpuSecondsUsed: 720,
        gpuHoursBudget: 0.25,
      });
      expect([...a.rec.outcomes.values()].map((o) => o.gpuSeconds)).toEqual([360, 360]);
    });

    it('extendGpuBudget adds GPU time: more trials run and the sweep row learns the budget', async () => {
      const a = acts();
      const result = await withWorkers(a, async () => {
        const handle = await start({ ...spec, budget: { gpuHours: 0.25 } });
        await until(() => a.rec.started.length >= 1, 'first trial');
        await handle.signal(extendGpuBudgetSignal, 0.2);
        return handle.result();
      });
      // 0.45 GPU-h = 1620 s: four trials of 360 s fit, a fifth would not.
      expect(result.progress).toMatchObject({ completed: 4, gpuSecondsUsed: 1440 });
      expect(result.progress.gpuHoursBudget).toBeCloseTo(0.45, 9);
      expect(a.rec.sweepUpdates.at(-1)?.gpuHoursBudget).toBeCloseTo(0.45, 9);
    });

    it('carries the GPU time spent through continue-as-new', async () => {
      const a = acts();
      const { result, continued } = await withWorkers(a, async () => {
        const handle = await start(
          { ...spec, budget: { gpuHours: 0.35 } },
          { continueAsNewAfterEvents: 20 },
        );
        const result = await handle.result();
        const last = await env.client.workflow.getHandle(handle.workflowId).describe();
        return { result, continued: last.runId !== handle.firstExecutionRunId };
      });
      expect(continued).toBe(true);
      // 0.35 GPU-h = 1260 s: three trials of 360 s, across the workflow's runs.
      expect(result.progress).toMatchObject({ completed: 3, gpuSecondsUsed: 1080 });
      expect(new Set(a.rec.started).size).toBe(3);
    });

    it("times trials by the workflow's clock when the activity reports no GPU time", async () => {
      const a = fakeActivities(async () => {
        await sleep(50);
        return { status: 'completed', objective: 0.5, values: {} };
      });
      const result = await withWorkers(a, async () =>
        (await start({ ...spec, maxTrials: 2, budget: { gpuHours: 1 } })).result(),
      );
      expect(result.progress.completed).toBe(2);
      for (const o of a.rec.outcomes.values()) expect(o.gpuSeconds).toBeGreaterThan(0);
      expect(result.progress.gpuSecondsUsed).toBeGreaterThan(0);
    });
  });

  it('retryFailed re-runs failed trials under their own number', async () => {
    let failures = 0;
    const acts = fakeActivities(async (input) => {
      if (input.number === 0 && failures++ === 0) {
        throw ApplicationFailure.nonRetryable('flaky dataset mount');
      }
      await sleep(150);
      return { status: 'completed', objective: input.number, values: {} };
    });
    const spec = { ...baseSpec, algorithm: 'random' as const, maxTrials: 4, maxParallel: 1 };
    const result = await withWorkers(acts, async () => {
      const handle = await start(spec);
      await until(async () => (await handle.query(progressQuery)).failed === 1, 'a failure');
      await handle.signal(retryFailedSignal);
      return handle.result();
    });
    expect(result.progress).toMatchObject({ completed: 4, failed: 0, total: 4 });
    expect(acts.rec.reopened).toEqual([`${result.sweepId}-t0`]);
    expect(acts.rec.outcomes.get(`${result.sweepId}-t0`)?.status).toBe('completed');
  });

  it('continues as new when history grows, keeping every trial exactly once', async () => {
    const acts = fakeActivities(async (input) => ({
      status: 'completed',
      objective: score(input.params) - 0.01 * (input.params.dropout as number),
      values: {},
    }));
    const spec = {
      ...baseSpec,
      searchSpace: {
        ...baseSpec.searchSpace,
        dropout: { type: 'choice' as const, values: [0, 0.5] },
      },
    };
    const { result, runs } = await withWorkers(acts, async () => {
      const handle = await start(spec, { continueAsNewAfterEvents: 40 });
      const result = await handle.result();
      const last = await env.client.workflow.getHandle(handle.workflowId).describe();
      return { result, runs: last.runId === handle.firstExecutionRunId ? 1 : 2 };
    });
    expect(runs).toBe(2);
    expect(result.status).toBe('completed');
    expect(result.progress).toMatchObject({ total: 12, completed: 12, started: 12 });
    expect(acts.rec.planned.map((t) => t.number).sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    ]);
    expect(result.bestParams).toEqual({ headLr: 0.01, freezeDepth: 2, dropout: 0 });
  });

  it('a TPE sweep starts with random trials, then lets TPE propose', async () => {
    const quality = (p: RunTrialInput['params']) =>
      1 - (Math.log10(p.headLr as number) + 2) ** 2 - ((p.dropout as number) - 0.3) ** 2;
    const acts = fakeActivities(async (input) => ({
      status: 'completed',
      objective: quality(input.params),
      values: {},
    }));
    const spec = parseSweepSpec({
      ...baseSpec,
      algorithm: 'tpe',
      maxTrials: 24,
      maxParallel: 1,
      seed: 5,
      tpe: { nStartupTrials: 8 },
      searchSpace: {
        headLr: { type: 'loguniform', min: 1e-5, max: 1 },
        dropout: { type: 'uniform', min: 0, max: 0.9 },
      },
    });
    const result = await withWorkers(acts, async () => (await start(spec)).result());
    expect(result.progress).toMatchObject({ completed: 24, total: 24 });
    const byNumber = [...acts.rec.planned].sort((a, b) => a.number - b.number);
    for (const t of byNumber.slice(0, 8)) {
      expect(t.params).toEqual(sampleRandomTrial(spec.searchSpace, 5, t.number));
    }
    const random = byNumber.slice(8).map((t) => sampleRandomTrial(spec.searchSpace, 5, t.number));
    expect(byNumber.slice(8).map((t) => t.params)).not.toEqual(random);
    // TPE's proposals concentrate near the optimum: better on average than the startup trials.
    const mean = (ts: PlannedTrial[]) => ts.reduce((a, t) => a + quality(t.params), 0) / ts.length;
    expect(mean(byNumber.slice(16))).toBeGreaterThan(mean(byNumber.slice(0, 8)));
  });

  it('ASHA prunes trials whose curves lag at a rung; the best one runs to the end', async () => {
    const epochs = 8;
    const qualities = [0.9, 0.5, 0.95, 0.3, 0.2, 0.99];
    // Each trial's curve rises linearly to its final quality `q`.
    const quality = (p: RunTrialInput['params']) => p.q as number;
    const acts = fakeActivities(async (input) => {
      const ctx = Context.current();
      const handle = env.client.workflow.getHandle(ctx.info.workflowExecution!.workflowId);
      let last = 0;
      for (let epoch = 0; epoch < epochs; epoch++) {
        await sleep(60);
        ctx.heartbeat();
        if (ctx.cancellationSignal.aborted) throw new Error('cancelled');
        last = quality(input.params) * ((epoch + 1) / epochs);
        if (input.reportEpochs === 'all' || input.reportEpochs?.includes(epoch)) {
          await handle.signal(trialReportSignal, { number: input.number, epoch, value: last });
        }
      }
      return { status: 'completed', objective: last, values: {} };
    });
    const spec = parseSweepSpec({
      ...baseSpec,
      maxParallel: 1,
      earlyStopping: { type: 'asha', minResource: 1, reductionFactor: 2 },
      searchSpace: { q: { type: 'choice', values: qualities } },
    });
    const result = await withWorkers(acts, async () => (await start(spec)).result());
    const outcomes = [...acts.rec.outcomes.entries()].sort();
    const statusOf = (q: number) =>
      acts.rec.outcomes.get(`${result.sweepId}-t${qualities.indexOf(q)}`)?.status;
    expect(outcomes).toHaveLength(6);
    expect(result.progress.pruned).toBeGreaterThanOrEqual(2);
    expect(statusOf(0.3)).toBe('pruned');
    expect(statusOf(0.2)).toBe('pruned');
    expect(statusOf(0.99)).toBe('completed');
    expect(result.bestParams).toEqual({ q: 0.99 });
    const prunedOutcome = outcomes.find(([, o]) => o.status === 'pruned')![1];
    expect(prunedOutcome.objective).toBeGreaterThan(0); // its last reported value
  });

  it('BOHB with Hyperband: trials report only at the rungs, some are pruned, the sweep finishes', async () => {
    const epochs = 9;
    const asked: unknown[] = [];
    const acts = fakeActivities(async (input) => {
      asked.push(input.reportEpochs);
      const ctx = Context.current();
      const handle = env.client.workflow.getHandle(ctx.info.workflowExecution!.workflowId);
      let last = 0;
      for (let epoch = 0; epoch < epochs; epoch++) {
        await sleep(15);
        ctx.heartbeat();
        if (ctx.cancellationSignal.aborted) throw new Error('cancelled');
        last = score(input.params) * ((epoch + 1) / epochs);
        if (Array.isArray(input.reportEpochs) && input.reportEpochs.includes(epoch)) {
          await handle.signal(trialReportSignal, { number: input.number, epoch, value: last });
          // Give the workflow's pruning decision time to arrive before training on: on a loaded
          // machine a 15 ms epoch could otherwise outrun every cancellation.
          for (let waited = 0; waited < 400 && epoch < epochs - 1; waited += 40) {
            await sleep(40);
            ctx.heartbeat();
            if (ctx.cancellationSignal.aborted) throw new Error('cancelled');
          }
        }
      }
      return { status: 'completed', objective: last, values: {} };
    });
    const spec = parseSweepSpec({
      ...baseSpec,
      algorithm: 'bohb',
      tpe: { nStartupTrials: 4 },
      maxTrials: 14,
      maxParallel: 2,
      earlyStopping: { type: 'hyperband', maxResource: epochs, reductionFactor: 3 },
      searchSpace: {
        headLr: { type: 'loguniform', min: 1e-4, max: 1 },
        freezeDepth: { type: 'choice', values: [0, 2] },
      },
    });
    const result = await withWorkers(acts, async () => (await start(spec)).result());
    expect(result.status).toBe('completed');
    expect(acts.rec.outcomes.size).toBe(14);
    expect(asked).toHaveLength(14);
    expect(asked.every((r) => JSON.stringify(r) === '[0,2,8]')).toBe(true);
    expect(result.progress.pruned).toBeGreaterThanOrEqual(1);
    const best = acts.rec.outcomes.get(result.bestTrialId!);
    expect(best?.status).toBe('completed');
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

  it('registers the next trials while the current ones run, so a freed slot starts at once', async () => {
    // Trial 0 finishes only once trials 2 and 3 are registered: without registration ahead
    // (patch register-trials-ahead) they would wait for a free slot and this would time out.
    const acts = fakeActivities(async (input, rec) => {
      if (input.number === 0) await until(() => rec.planned.length >= 4, 'trials 2 and 3');
      return { status: 'completed', objective: score(input.params), values: {} };
    });
    const { result, history } = await withWorkers(acts, () =>
      runToEnd({ ...baseSpec, maxParallel: 2 }),
    );
    expect(result.progress).toMatchObject({ total: 6, completed: 6, started: 6 });
    expect(acts.rec.planned.map((t) => t.number).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(acts.rec.outcomes.size).toBe(6);
    // The new path replays deterministically; the recorded fixture proves the old one still does.
    await expect(
      Worker.runReplayHistory({ workflowBundle: bundle }, history),
    ).resolves.toBeUndefined();
    // Recorded once, on the workflow before outcomes and registrations were batched.
    if (process.env.RETUNE_RECORD_AHEAD_HISTORY === '1') {
      writeFileSync(aheadHistoryFile, historyToJSON(history));
    }
  });

  it("writes a finished trial's outcome and its successor's registration in one activity", async () => {
    const acts = fakeActivities(async (input) => {
      await sleep(40 * (input.number % 3));
      return { status: 'completed', objective: score(input.params), values: {} };
    });
    // One slot: with pipelined slots, 2 × maxParallel trials run or wait and maxParallel more
    // are registered ahead, so only a sweep larger than that registers trials as others end.
    const { result, history } = await withWorkers(acts, () =>
      runToEnd({ ...baseSpec, maxParallel: 1 }),
    );
    expect(result.progress).toMatchObject({ total: 6, completed: 6, started: 6 });
    expect(acts.rec.planned.map((t) => t.number).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect([...acts.rec.outcomes.values()].every((o) => o.status === 'completed')).toBe(true);
    // Fewer activities than rows written: at least one batch carried an outcome and a registration.
    const { batches } = acts.rec;
    expect(batches.some((b) => b.register > 0 && b.outcomes > 0)).toBe(true);
    expect(batches.length).toBeLessThan(12);
    const scheduled = (history.events ?? [])
      .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
      .filter((name) => name);
    expect(scheduled).not.toContain('recordTrialOutcome');
    expect(scheduled).not.toContain('registerTrial');
    await expect(
      Worker.runReplayHistory({ workflowBundle: bundle }, history),
    ).resolves.toBeUndefined();
  });

  it('replays a recorded history of trials registered ahead one activity at a time', async () => {
    const history = JSON.parse(readFileSync(aheadHistoryFile, 'utf8'));
    await expect(
      Worker.runReplayHistory({ workflowBundle: bundle }, history),
    ).resolves.toBeUndefined();
  });
});

describe('sweepWorkflow with pipelined slots', () => {
  const pipelinedHistoryFile = fileURLToPath(
    new URL('./__histories__/pipelined-sweep.json', import.meta.url),
  );
  const randomSpec = { ...baseSpec, algorithm: 'random' as const, maxTrials: 9, maxParallel: 3 };
  const completes = async (input: RunTrialInput): Promise<TrialOutcome> => {
    await sleep(150 + 50 * (input.number % 3));
    return { status: 'completed', objective: input.number, values: {} };
  };

  it("launches each slot's next trial behind the running one; it starts only after it", async () => {
    const acts = fakeActivities(completes);
    const seen: number[] = [];
    const { result, history } = await withWorkers(acts, async () => {
      const handle = await start(randomSpec);
      const done = handle.result() as Promise<SweepResult>;
      let finished = false;
      void done.finally(() => (finished = true));
      while (!finished) {
        seen.push((await handle.query(progressQuery)).running);
        await sleep(15);
      }
      const history = await handle.fetchHistory();
      if (process.env.RETUNE_RECORD_PIPELINED_HISTORY === '1') {
        writeFileSync(pipelinedHistoryFile, historyToJSON(history));
      }
      return { result: await done, history };
    });
    // Exactly the budget: every trial asked once, run once, recorded once.
    expect(result.progress).toMatchObject({ total: 9, completed: 9, started: 9, running: 0 });
    expect(new Set(acts.rec.started).size).toBe(9);
    expect(acts.rec.started).toHaveLength(9);
    expect(acts.rec.outcomes.size).toBe(9);
    // More trials launched than slots, never more training than maxParallel.
    expect(acts.rec.maxLaunched).toBeGreaterThan(3);
    expect(acts.rec.maxLaunched).toBeLessThanOrEqual(6);
    expect(acts.rec.maxConcurrent).toBe(3);
    expect(Math.max(...seen)).toBeLessThanOrEqual(3);
    // One successor per predecessor: lanes are chains.
    const predecessors = [...acts.rec.after.values()];
    expect(new Set(predecessors).size).toBe(predecessors.length);
    expect(predecessors.length).toBeGreaterThan(0);
    await expect(
      Worker.runReplayHistory({ workflowBundle: bundle }, history),
    ).resolves.toBeUndefined();
  });

  it('keeps maxParallel a hard cap with two GPU workers', async () => {
    const acts = fakeActivities(completes);
    const result = await withWorkers(acts, async () => (await start(randomSpec)).result(), 2);
    expect(result.progress).toMatchObject({ completed: 9, started: 9 });
    expect(acts.rec.started).toHaveLength(9);
    expect(acts.rec.maxConcurrent).toBeLessThanOrEqual(3);
  });

  it('schedules a trial again when a stuck GPU worker gives it back; nothing is counted', async () => {
    const acts = fakeActivities(completes);
    acts.rec.deferFirst = true;
    const result = await withWorkers(acts, async () => (await start(randomSpec)).result());
    expect(acts.rec.deferred.length).toBeGreaterThan(0);
    expect(result.progress).toMatchObject({ completed: 9, started: 9, failed: 0 });
    expect(acts.rec.started).toHaveLength(9);
    expect(acts.rec.outcomes.size).toBe(9);
    expect(acts.rec.maxConcurrent).toBeLessThanOrEqual(3);
  });

  it('replays a recorded pipelined history', async () => {
    const history = JSON.parse(readFileSync(pipelinedHistoryFile, 'utf8'));
    const scheduled = (history.events ?? []).filter(
      (e: { activityTaskScheduledEventAttributes?: { activityType?: { name?: string } } }) =>
        e.activityTaskScheduledEventAttributes?.activityType?.name === 'runTrial',
    );
    expect(scheduled.length).toBe(9);
    await expect(
      Worker.runReplayHistory({ workflowBundle: bundle }, history),
    ).resolves.toBeUndefined();
  });
});

describe('sweepWorkflow with algorithm: pbt', () => {
  const trainer = fileURLToPath(new URL('../../../trainers/synthetic/train.mjs', import.meta.url));
  const work = mkdtempSync(join(tmpdir(), 'retune-pbt-'));

  /** Runs the real synthetic trainer as the trial activity does: its checkpoints on disk. */
  const syntheticTrial = async (input: RunTrialInput): Promise<TrialOutcome> => {
    const dir = join(work, input.trialId);
    mkdirSync(dir, { recursive: true });
    const inputPath = join(dir, 'input.json');
    const resumeFrom = input.pbt?.resumeFrom;
    writeFileSync(
      inputPath,
      JSON.stringify({
        trialId: input.trialId,
        params: input.params,
        checkpointDir: join(dir, 'checkpoints'),
        ...(resumeFrom ? { resumeFrom } : {}),
      }),
    );
    const { stdout } = await promisify(execFile)(process.execPath, [trainer, inputPath]);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const result = lines.find((l) => l.type === 'result');
    const checkpoint = lines.filter((l) => l.type === 'checkpoint').at(-1)?.path;
    return {
      status: 'completed',
      objective: result.values.val_acc,
      values: result.values,
      ...(input.pbt && checkpoint ? { checkpoint } : {}),
    };
  };

  // The best learning rate falls from 1e-1 to 1e-3 over 8 epochs (trainers/synthetic).
  const shifting: SweepSpecInput = {
    ...baseSpec,
    trainer: { name: 'synthetic' },
    algorithm: 'pbt',
    maxParallel: 8,
    searchSpace: { lr: { type: 'loguniform', min: 1e-4, max: 1 } },
    fixed: { epochs: 8, landscape: 'shifting-lr' },
    pbt: { population: 8, interval: 2 },
  };

  it('beats random search with the same trial-epochs on a task whose best LR moves', async () => {
    const pbtActs = fakeActivities(syntheticTrial);
    const randomActs = fakeActivities(syntheticTrial);
    const pbt = await withWorkers(
      pbtActs,
      async () => (await start(shifting)).result() as Promise<SweepResult>,
    );
    const { pbt: _pbt, ...randomSpec } = shifting;
    const random = await withWorkers(randomActs, async () =>
      (await start({ ...randomSpec, algorithm: 'random', maxTrials: 8 })).result(),
    );
    const trialEpochs = (planned: PlannedTrial[]) =>
      planned.reduce((n, t) => n + (t.pbt ? t.pbt.endEpoch - t.pbt.startEpoch : 8), 0);
    expect(trialEpochs(pbtActs.rec.planned)).toBe(trialEpochs(randomActs.rec.planned));
    expect(pbt.status).toBe('completed');
    expect(pbt.progress).toMatchObject({ total: 32, completed: 32 });
    expect(pbt.bestValue!).toBeGreaterThan((random as SweepResult).bestValue! + 0.02);

    // Every later interval continues from its parent's last checkpoint, seeded as its line began.
    const byNumber = new Map(pbtActs.rec.planned.map((t) => [t.number, t]));
    const copies = pbtActs.rec.planned.filter((t) => t.pbt!.copiedFrom !== undefined);
    expect(copies.length).toBeGreaterThanOrEqual(6); // 2 of 8 members at each of 3 boundaries
    for (const t of pbtActs.rec.planned.filter((p) => p.pbt!.generation > 0)) {
      const parent = byNumber.get(t.pbt!.parent!)!;
      expect(t.pbt!.resumeFrom).toBe(pbtActs.rec.outcomes.get(parent.trialId)!.checkpoint);
      expect(t.pbt!.startEpoch).toBe(parent.pbt!.endEpoch);
      expect(t.pbt!.seedTrial).toBe(parent.pbt!.seedTrial);
      expect(t.params.epochs).toBe(t.pbt!.endEpoch);
    }
    for (const t of copies) {
      expect(byNumber.get(t.pbt!.parent!)!.pbt!.member).toBe(t.pbt!.copiedFrom);
      expect(Object.keys(t.pbt!.changes!)).toEqual(['lr']);
    }
  }, 120_000);

  it('continues as new between intervals and keeps the population', async () => {
    const acts = fakeActivities(syntheticTrial);
    const result = await withWorkers(acts, async () => {
      const handle = await start(
        {
          ...shifting,
          pbt: { population: 3, interval: 2 },
          fixed: { epochs: 6, landscape: 'shifting-lr' },
        },
        { continueAsNewAfterEvents: 100 },
      );
      const res = await handle.result();
      const first = env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
      const history = await first.fetchHistory();
      expect(history.events!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
      // Re-record the replay fixture (this first run: two intervals, one exploit, continue as
      // new) after an intentional change of the pbt path.
      if (process.env.RETUNE_RECORD_HISTORIES === '1') {
        writeFileSync(pbtHistoryFile, historyToJSON(history));
      }
      return res;
    });
    expect(result).toMatchObject({ status: 'completed' });
    expect((result as SweepResult).progress).toMatchObject({ total: 9, completed: 9 });
    expect(acts.rec.planned.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(acts.rec.planned.slice(3).every((t) => t.pbt!.resumeFrom !== null)).toBe(true);
    expect(acts.rec.planned.filter((t) => t.pbt!.copiedFrom !== undefined)).toHaveLength(2);
  }, 60_000);

  it('replays a recorded pbt history without nondeterminism', async () => {
    const history = JSON.parse(readFileSync(pbtHistoryFile, 'utf8'));
    await expect(
      Worker.runReplayHistory({ workflowBundle: bundle }, history),
    ).resolves.toBeUndefined();
  });
});
