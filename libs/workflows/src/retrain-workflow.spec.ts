import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseSweepSpec,
  RETRAIN_WORKFLOW_TYPE,
  TASK_QUEUES,
  temporalScheduleParts,
  type ChampionInfo,
  type OverlapPolicy,
  type Params,
  type RetrainConfig,
  type RetrainResult,
  type RetrainWorkflowInput,
} from '@retune/core';
import type {
  ControlActivities,
  HoldoutActivities,
  PreflightActivities,
  RetrainActivities,
  RetrainRunFinish,
  TrialActivities,
} from '@retune/activities';
import {
  startWorkflowTestEnv,
  WORKFLOW_TEST_ENV_TIMEOUT_MS,
} from './test-support/workflow-test-env';

/**
 * The retrain workflow on a real Temporal dev server (Schedules included) with in-memory
 * activities: what it promotes, keeps and skips, and how schedules and overlap behave.
 */
let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  ({ env, bundle } = await startWorkflowTestEnv());
}, WORKFLOW_TEST_ENV_TIMEOUT_MS);

afterAll(async () => {
  await env?.teardown();
});

const sweepSpec = parseSweepSpec({
  name: 'digits',
  dataset: '/data/digits',
  baseModel: 'demo',
  algorithm: 'grid',
  trainer: { name: 'synthetic' },
  searchSpace: { headLr: { type: 'choice', values: [0.001, 0.01] } },
});

interface Run {
  runId: string;
  forced: boolean;
  finish?: RetrainRunFinish;
}

/** One schedule's world: its config, the dataset hash, the champion, and what happened. */
class World {
  config: RetrainConfig;
  datasetHash = 'h1';
  lastSettledHash: string | null = null;
  champion: ChampionInfo | null = null;
  /** What a candidate trial scores, from its params. */
  score: (p: Params) => number = (p) => (p.headLr === 0.01 ? 0.9 : 0.8);
  trialMs = 0;
  candidateArtifact = '/models/candidate';
  holdoutCalls: { candidateArtifact: string; championArtifact: string }[] = [];
  runs: Run[] = [];
  trials: Params[] = [];
  promoted: { versionId: string; reason: string }[] = [];
  running = 0;
  maxRunning = 0;

  constructor(overrides: Partial<RetrainConfig> = {}) {
    this.config = {
      scheduleId: `sch-${seq++}`,
      name: 'nightly',
      task: 'digits',
      spec: sweepSpec,
      policy: 'retrain-champion',
      promoteMargin: 0,
      webhookUrl: null,
      ...overrides,
    };
  }

  activities() {
    const retrain: RetrainActivities = {
      loadRetrainConfig: async () => this.config,
      startRetrainRun: async (input) => {
        const runId = `rr-${input.workflowId}`;
        if (!this.runs.some((r) => r.runId === runId)) {
          this.runs.push({ runId, forced: input.forced });
          this.running++;
          this.maxRunning = Math.max(this.maxRunning, this.running);
        }
        return runId;
      },
      takeDatasetSnapshot: async (input) => ({
        snapshotId: `snap-${input.runId}`,
        dataset: input.dataset,
        fileCount: 3,
        contentHash: this.datasetHash,
        previousHash: this.lastSettledHash,
      }),
      getChampion: async () => this.champion,
      createCandidateSweep: async (input) => `${input.runId}-sweep`,
      evaluateOnHoldout: async (input) => ({
        candidate: input.candidate,
        champion: input.champion?.metricValue ?? null,
        method: 'recorded',
      }),
      registerModelVersion: async (input) => ({
        versionId: `mv-${input.runId}`,
        artifact: this.candidateArtifact,
      }),
      promoteModelVersion: async (input) => {
        this.promoted.push(input);
      },
      finishRetrainRun: async (runId, finish) => {
        const run = this.runs.find((r) => r.runId === runId)!;
        if (!run.finish) this.running--;
        run.finish = finish;
        if (finish.status !== 'failed') this.lastSettledHash = this.datasetHash;
      },
      notifyWebhook: async (url, body) => {
        const res = await fetch(url, { method: 'POST', body: JSON.stringify(body) });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        return { status: res.status };
      },
    };
    // Only what the child sweep calls; `satisfies` keeps the fakes honest to the real signatures.
    const control = {
      async startSweep() {},
      async registerTrial() {},
      async reopenTrial() {},
      async updateSweep() {},
      async recordTrialOutcome() {},
      async recordTrials() {},
      async finishSweep() {},
      async loadWarmStart() {
        return { trials: [], sourceSweeps: 0 };
      },
    } satisfies Partial<ControlActivities>;
    const gpu: TrialActivities & HoldoutActivities & PreflightActivities = {
      preflightSweep: async () => ({ problems: [] }),
      runTrial: async (input) => {
        this.trials.push(input.params);
        await sleep(this.trialMs);
        const v = this.score(input.params);
        return { status: 'completed', objective: v, values: { val_acc: v } };
      },
      scoreOnHoldout: async (input) => {
        this.holdoutCalls.push(input);
        return { candidate: 0.7, champion: 0.8, split: 'test', images: 50 };
      },
    };
    return { control: { ...control, ...retrain }, gpu };
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let seq = 0;

async function withWorkers<T>(world: World, fn: () => Promise<T>): Promise<T> {
  const acts = world.activities();
  const control = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUES.control,
    workflowBundle: bundle,
    activities: acts.control,
  });
  const gpu = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUES.gpu,
    activities: acts.gpu,
  });
  return control.runUntil(gpu.runUntil(fn));
}

const retrainOnce = (world: World, extra: Partial<RetrainWorkflowInput> = {}) =>
  env.client.workflow.execute(RETRAIN_WORKFLOW_TYPE, {
    taskQueue: TASK_QUEUES.control,
    workflowId: `retrain-test-${seq++}`,
    args: [{ scheduleId: world.config.scheduleId, ...extra }],
  }) as Promise<RetrainResult>;

async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const champion = (metricValue: number): ChampionInfo => ({
  versionId: 'mv-champ',
  version: 1,
  params: { headLr: 0.01 },
  metricValue,
  artifact: '/models/champ',
});

const historyFile = fileURLToPath(
  new URL('./__histories__/retrain-first-champion.json', import.meta.url),
);

describe('retrainWorkflow', () => {
  it('replays a recorded retrain history without nondeterminism', async () => {
    // A change that breaks this breaks scheduled runs in flight on deploy: use patched().
    const history = JSON.parse(readFileSync(historyFile, 'utf8'));
    await expect(
      Worker.runReplayHistory({ workflowBundle: bundle }, history),
    ).resolves.toBeUndefined();
  });

  it('promotes the best trial of the spec when there is no champion yet', async () => {
    const world = new World();
    const result = await withWorkers(world, async () => {
      const handle = await env.client.workflow.start(RETRAIN_WORKFLOW_TYPE, {
        taskQueue: TASK_QUEUES.control,
        workflowId: `retrain-test-${seq++}`,
        args: [{ scheduleId: world.config.scheduleId }],
      });
      const res = (await handle.result()) as RetrainResult;
      // Re-record the replay fixture only after an intentional, unobservable workflow change.
      if (process.env.RETUNE_RECORD_HISTORIES === '1') {
        writeFileSync(historyFile, historyToJSON(await handle.fetchHistory()));
      }
      return res;
    });
    expect(result).toMatchObject({
      status: 'promoted',
      candidateMetric: 0.9,
      championMetric: null,
    });
    expect(result.reason).toMatch(/no champion/);
    expect(world.trials).toHaveLength(2); // the spec's whole grid
    expect(world.promoted.map((p) => p.versionId)).toEqual([result.candidateVersionId]);
    expect(world.runs[0]!.finish).toMatchObject({
      status: 'promoted',
      snapshotId: expect.any(String),
    });
  });

  it('promotes a better candidate and keeps the champion against a worse one, saying why', async () => {
    const better = new World();
    better.champion = champion(0.85);
    const promoted = await withWorkers(better, () => retrainOnce(better));
    expect(promoted).toMatchObject({
      status: 'promoted',
      candidateMetric: 0.9,
      championMetric: 0.85,
    });
    // retrain-champion: one trial with the champion's params.
    expect(better.trials).toEqual([{ headLr: 0.01 }]);

    const worse = new World();
    worse.champion = champion(0.95);
    const kept = await withWorkers(worse, () => retrainOnce(worse));
    expect(kept).toMatchObject({ status: 'kept', candidateMetric: 0.9, championMetric: 0.95 });
    expect(kept.reason).toMatch(/not better than champion 0.95/);
    expect(worse.promoted).toEqual([]);
    expect(worse.runs[0]!.finish).toMatchObject({
      status: 'kept',
      championVersionId: 'mv-champ',
      candidateVersionId: 'mv-' + kept.runId,
    });

    const marginal = new World({ promoteMargin: 0.05 });
    marginal.champion = champion(0.88);
    const small = await withWorkers(marginal, () => retrainOnce(marginal));
    expect(small).toMatchObject({ status: 'kept' });
    expect(small.reason).toMatch(/by only 0.02 \(margin 0.05\)/);
  });

  it('re-scores saved tfjs models on one holdout and decides on that, not on recorded metrics', async () => {
    const world = new World({ spec: parseSweepSpec({ ...sweepSpec, trainer: { name: 'tfjs' } }) });
    world.champion = champion(0.5); // recorded: the candidate's 0.9 would win
    const result = await withWorkers(world, () => retrainOnce(world));
    expect(world.holdoutCalls).toEqual([
      {
        dataset: '/data/digits',
        candidateArtifact: '/models/candidate',
        championArtifact: '/models/champ',
      },
    ]);
    expect(result).toMatchObject({ status: 'kept', candidateMetric: 0.7, championMetric: 0.8 });
    expect(result.reason).toMatch(
      /test accuracy \(50 images\) 0.7 is not better than champion 0.8/,
    );

    // Without a saved candidate model there is nothing to re-score: recorded metrics decide.
    const unsaved = new World({
      spec: parseSweepSpec({ ...sweepSpec, trainer: { name: 'tfjs' } }),
    });
    unsaved.champion = champion(0.5);
    unsaved.candidateArtifact = '';
    expect((await withWorkers(unsaved, () => retrainOnce(unsaved))).status).toBe('promoted');
    expect(unsaved.holdoutCalls).toEqual([]);
  });

  it('sweep-around-champion runs a small sweep near the champion params', async () => {
    const world = new World({
      policy: 'sweep-around-champion',
      spec: parseSweepSpec({
        ...sweepSpec,
        algorithm: 'random',
        maxTrials: 3,
        searchSpace: { headLr: { type: 'loguniform', min: 1e-4, max: 1e-1 } },
      }),
    });
    world.champion = champion(0.5);
    world.score = (p) => 1 - Math.abs(Math.log10(p.headLr as number) + 2) / 10;
    const result = await withWorkers(world, () => retrainOnce(world));
    expect(world.trials).toHaveLength(3);
    for (const p of world.trials) {
      const lr = p.headLr as number;
      expect(lr).toBeGreaterThan(0.01 / 10 ** 0.4);
      expect(lr).toBeLessThan(0.01 * 10 ** 0.4);
    }
    expect(result.status).toBe('promoted');
  });

  it('skips an unchanged dataset unless forced', async () => {
    const world = new World();
    world.lastSettledHash = world.datasetHash;
    world.champion = champion(0.5);
    const skipped = await withWorkers(world, () => retrainOnce(world));
    expect(skipped.status).toBe('skipped');
    expect(skipped.reason).toMatch(/dataset unchanged/);
    expect(world.trials).toEqual([]);

    const forced = await withWorkers(world, () => retrainOnce(world, { force: true }));
    expect(forced.status).toBe('promoted');
    expect(world.runs.at(-1)!.forced).toBe(true);

    world.datasetHash = 'h2';
    world.champion = champion(0.99);
    expect((await withWorkers(world, () => retrainOnce(world))).status).toBe('kept');
  });

  it('a failing webhook is retried with backoff and does not fail the run', async () => {
    const hits: number[] = [];
    const server: Server = createServer((req, res) => {
      req.resume();
      hits.push(Date.now());
      res.writeHead(500).end('down');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const world = new World({ webhookUrl: url });
      const result = await withWorkers(world, () =>
        retrainOnce(world, { webhookRetry: { initialIntervalMs: 100, maximumAttempts: 3 } }),
      );
      expect(result.status).toBe('promoted');
      expect(world.runs[0]!.finish?.status).toBe('promoted');
      expect(hits).toHaveLength(3);
      // Backoff: the second wait is about twice the first.
      expect(hits[2]! - hits[1]!).toBeGreaterThanOrEqual(150);
    } finally {
      server.close();
    }
  });

  it('a cancelled run (what overlap policy cancel-other does) is recorded as failed, then ends cancelled', async () => {
    const world = new World();
    world.trialMs = 1500;
    const outcome = await withWorkers(world, async () => {
      const handle = await env.client.workflow.start(RETRAIN_WORKFLOW_TYPE, {
        taskQueue: TASK_QUEUES.control,
        workflowId: `retrain-test-${seq++}`,
        args: [{ scheduleId: world.config.scheduleId }],
      });
      await until(() => world.trials.length > 0, 'the candidate trial');
      await handle.cancel();
      return handle.result().then(
        () => 'completed',
        (err: Error) => err.message,
      );
    });
    expect(outcome).toMatch(/cancel/i);
    expect(world.runs[0]!.finish).toMatchObject({
      status: 'failed',
      reason: 'cancelled before it finished',
    });
    expect(world.promoted).toEqual([]);
  });

  it('records a failed candidate sweep as failed', async () => {
    const world = new World();
    const acts = world.activities();
    acts.gpu.runTrial = async () => ({ status: 'failed', objective: null, values: {}, error: 'x' });
    const control = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUES.control,
      workflowBundle: bundle,
      activities: acts.control,
    });
    const gpu = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUES.gpu,
      activities: acts.gpu,
    });
    const result = await control.runUntil(gpu.runUntil(() => retrainOnce(world)));
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/without a completed trial/);
    expect(world.runs[0]!.finish?.status).toBe('failed');
  });
});

describe('Temporal Schedules driving retrainWorkflow', () => {
  const createSchedule = (world: World, everySeconds: number, overlapPolicy: OverlapPolicy) => {
    const parts = temporalScheduleParts({
      cron: null,
      intervalSeconds: everySeconds,
      timezone: 'UTC',
      overlapPolicy,
      catchupWindowSeconds: 60,
    });
    return env.client.schedule.create({
      scheduleId: `retrain-${world.config.scheduleId}`,
      spec: parts.spec,
      policies: parts.policies,
      action: {
        type: 'startWorkflow',
        workflowType: RETRAIN_WORKFLOW_TYPE,
        workflowId: `retrain-${world.config.scheduleId}`,
        taskQueue: TASK_QUEUES.control,
        args: [{ scheduleId: world.config.scheduleId, force: true }],
      },
    });
  };

  it('a schedule with a 2 s interval fires runs', async () => {
    const world = new World();
    const handle = await createSchedule(world, 2, 'skip');
    try {
      await withWorkers(world, () =>
        until(() => world.runs.filter((r) => r.finish).length >= 2, 'two scheduled runs', 20_000),
      );
      expect(
        world.runs.every((r) => r.runId.startsWith(`rr-retrain-${world.config.scheduleId}-`)),
      ).toBe(true);
      const next = (await handle.describe()).info.nextActionTimes;
      expect(next.length).toBeGreaterThan(0);
    } finally {
      await handle.delete();
    }
  });

  it('overlap policy skip drops firings while a run is still going', async () => {
    const world = new World();
    world.trialMs = 4500;
    const handle = await createSchedule(world, 1, 'skip');
    try {
      await withWorkers(world, async () => {
        await until(() => world.runs.length >= 1, 'the first run');
        await sleep(3000);
        const d = await handle.describe();
        expect(d.info.numActionsSkippedOverlap).toBeGreaterThanOrEqual(1);
        expect(world.runs).toHaveLength(1);
        await handle.pause('test done');
        await until(() => world.runs[0]!.finish !== undefined, 'the first run to end', 15_000);
      });
      expect(world.maxRunning).toBe(1);
    } finally {
      await handle.delete();
    }
  });

  it('overlap policy buffer-one runs one buffered firing after the running one', async () => {
    const world = new World();
    world.trialMs = 3000;
    const handle = await createSchedule(world, 1, 'buffer-one');
    try {
      await withWorkers(world, async () => {
        // The second run is the buffered firing: it starts only once the first has ended.
        await until(() => world.runs.length >= 2, 'the buffered run', 20_000);
        expect(world.runs[0]!.finish).toBeDefined();
        // A paused schedule drops what it had buffered; let the running run end.
        await handle.pause('buffered enough');
        await until(() => world.runs.every((r) => r.finish), 'the runs to end', 20_000);
        expect((await handle.describe()).info.numActionsSkippedOverlap).toBeGreaterThanOrEqual(1);
      });
      expect(world.maxRunning).toBe(1);
    } finally {
      await handle.delete();
    }
  });
});
