import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createTemporalSweepGateway,
  getPbtFamily,
  launchSweep,
  paretoOf,
  type SweepGateway,
} from '@retune/api';
import {
  parseSweepSpec,
  sampleRandomTrial,
  sweepWorkflowId,
  type SweepResult,
  type SweepSpecInput,
} from '@retune/core';
import type { Repositories } from '@retune/db';
import { processesMatching } from './test-support/processes';
import { startTestStack, type TestStack } from './test-support/test-stack';

/**
 * The whole sweep path for real: tRPC-level launch → Temporal dev server → control and GPU
 * workers → synthetic trainer processes → SQLite, as `npm start` wires it.
 */
let stack: TestStack | undefined;
let env: TestWorkflowEnvironment;
let repos: Repositories;
let gateway: SweepGateway;
let workDir: string;

beforeAll(async () => {
  stack = await startTestStack({
    temporalBin: inject('temporalBin'),
    dirPrefix: 'retune-e2e-',
    workerId: 'e2e-worker',
    slots: 3,
    bundle: true,
    heartbeatIntervalMs: 200,
  });
  ({ env, repos, workDir } = stack);
  gateway = createTemporalSweepGateway(env.client);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

const grid: SweepSpecInput = {
  name: 'e2e grid',
  dataset: 'demo:mnist-5-9',
  baseModel: 'demo:mnist-0-4-cnn',
  trainer: { name: 'synthetic' },
  algorithm: 'grid',
  maxParallel: 3,
  fixed: { epochs: 3 },
  searchSpace: {
    headLr: { type: 'choice', values: [0.001, 0.01, 0.1] },
    freezeDepth: { type: 'choice', values: [0, 2] },
  },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const resultOf = (sweepId: string) =>
  env.client.workflow.getHandle(sweepWorkflowId(sweepId)).result() as Promise<SweepResult>;

/** Trainers started for one trial (their input file under workDir/trials is their last argument). */
const perTrialProcesses = () => processesMatching(join(workDir, 'trials'));
/** Reusable trainers' processes (docs/trainer-reuse.md), one per slot at most. */
const pooledProcesses = (slot?: number) =>
  processesMatching(join(workDir, 'pool', 'e2e-worker', slot === undefined ? '' : `slot-${slot}$`));

describe('a sweep end to end', () => {
  it('runs a 6-trial grid with the synthetic trainer and finds the known best', async () => {
    const sweep = await launchSweep({ repos, temporal: gateway }, grid);
    const result = await resultOf(sweep.id);
    expect(result.status).toBe('completed');
    expect(result.bestParams).toEqual({ epochs: 3, headLr: 0.01, freezeDepth: 2 });

    const detail = await repos.sweeps.get(sweep.id);
    expect(detail).toMatchObject({
      status: 'completed',
      bestTrialId: result.bestTrialId,
      bestValue: 0.95,
    });
    expect(detail!.trials).toHaveLength(6);
    expect(detail!.trials.every((t) => t.status === 'completed' && t.worker === 'e2e-worker')).toBe(
      true,
    );
    expect(detail!.counts.completed).toBe(6);

    const points = await repos.metrics.forTrial(result.bestTrialId!);
    const valAcc = points.filter((p) => p.name === 'val_acc');
    expect(valAcc.map((p) => p.epoch)).toEqual([0, 1, 2]);
    expect(valAcc.at(-1)!.value).toBeCloseTo(0.95, 6);
    // The synthetic trainer declares reuse: six trials ran on at most one process per slot,
    // which stays for the next trial.
    expect(pooledProcesses().length).toBeGreaterThanOrEqual(1);
    expect(pooledProcesses().length).toBeLessThanOrEqual(3);
    expect(perTrialProcesses()).toEqual([]);
  });

  it('warm-starts a two-objective TPE sweep from an earlier sweep on the same task', async () => {
    const task = { ...grid, dataset: 'e2e-warm-task' };
    const earlier = await launchSweep({ repos, temporal: gateway }, task);
    expect((await resultOf(earlier.id)).status).toBe('completed');

    const tpe: SweepSpecInput = {
      ...task,
      name: 'e2e warm tpe',
      algorithm: 'tpe',
      tpe: { nStartupTrials: 3 },
      maxTrials: 2,
      maxParallel: 1,
      seed: 11,
      warmStart: {},
      objectives: [{ name: 'trainable_params', goal: 'minimize' }],
      searchSpace: { headLr: { type: 'loguniform', min: 0.001, max: 0.1 } },
    };
    const sweep = await launchSweep({ repos, temporal: gateway }, tpe);
    const result = await resultOf(sweep.id);
    expect(result.status).toBe('completed');
    const detail = (await repos.sweeps.get(sweep.id))!;
    // The synthetic trainer reports the second objective (no freezeDepth: 6 × 10,000 + 1,290).
    expect(detail.trials.map((t) => t.values['trainable_params'])).toEqual([61_290, 61_290]);
    expect(new Set(result.paretoTrialIds)).toEqual(
      new Set(
        paretoOf(detail)
          .points.filter((p) => p.onFront)
          .map((p) => p.trialId),
      ),
    );
    // Six earlier trials put TPE past its 3 start-up trials: trial 0 is not the random draw.
    const random = sampleRandomTrial(parseSweepSpec(tpe).searchSpace, 11, 0);
    expect(detail.trials[0]!.params['headLr']).not.toBeCloseTo(random['headLr'] as number, 8);
  });

  it('runs population-based training: copies resume from the parent checkpoint, lineage stored', async () => {
    const sweep = await launchSweep(
      { repos, temporal: gateway },
      {
        ...grid,
        name: 'e2e pbt',
        algorithm: 'pbt',
        fixed: { epochs: 4, landscape: 'shifting-lr' },
        searchSpace: { lr: { type: 'loguniform', min: 1e-4, max: 1 } },
        pbt: { population: 3, interval: 2 },
      },
    );
    const result = await resultOf(sweep.id);
    expect(result).toMatchObject({ status: 'completed', progress: { completed: 6 } });
    const family = await getPbtFamily({ repos }, sweep.id);
    expect(family.generations).toBe(2);
    expect(family.exploits).toHaveLength(1);
    const copy = family.exploits[0]!;
    expect(copy.epoch).toBe(2);
    // The copier's trainer resumed from the copied member's last checkpoint and trained epochs 2–3.
    const copier = await repos.trials.detail(`${sweep.id}-t${copy.toTrial}`);
    expect(copier).toMatchObject({ status: 'completed' });
    const points = await repos.metrics.forTrial(copier!.id);
    expect([...new Set(points.map((p) => p.epoch))]).toEqual([2, 3]);
    expect(family.schedules).toHaveLength(3);
  });

  it('a trainer that prints garbage or exits 1 fails its trial with the reason; the others finish', async () => {
    const trainer = fileURLToPath(new URL('./test-support/flaky-trainer.mjs', import.meta.url));
    const sweep = await launchSweep(
      { repos, temporal: gateway },
      {
        ...grid,
        name: 'e2e broken trainers',
        trainer: { command: [process.execPath, trainer] },
        fixed: {},
        searchSpace: { mode: { type: 'choice', values: ['good', 'garbage', 'crash', 'fine'] } },
      },
    );
    const result = await resultOf(sweep.id);
    expect(result.status).toBe('completed');
    expect(result.bestParams).toEqual({ mode: 'good' });

    const trials = (await repos.sweeps.get(sweep.id))!.trials;
    expect(trials.map((t) => t.status)).toEqual(['completed', 'failed', 'failed', 'completed']);
    expect(trials[1]!.error).toMatch(/stdout line 2: not JSON: "Epoch 1\/3 - loss: 0.42"/);
    expect(trials[2]!.error).toMatch(
      /trainer exited with code 1: RuntimeError: CUDA error: out of memory/,
    );
    expect(trials[1]!.attempts).toBe(1); // a broken trainer is a result, not retried
    expect(perTrialProcesses()).toEqual([]);
  });

  it('runs a 200-trial random sweep through continue-as-new with every trial recorded once', async () => {
    const spec = parseSweepSpec({
      ...grid,
      name: 'e2e 200',
      algorithm: 'random',
      maxTrials: 200,
      fixed: { epochs: 1 },
      searchSpace: { headLr: { type: 'loguniform', min: 1e-4, max: 1 } },
    });
    const sweep = await repos.sweeps.create({
      id: 'sw_e2e200',
      name: spec.name,
      spec,
      plannedTrials: 200,
    });
    await gateway.start({ sweepId: sweep.id, spec, continueAsNewAfterEvents: 1000 });
    const result = await resultOf(sweep.id);
    expect(result.status).toBe('completed');
    expect(result.progress).toMatchObject({ total: 200, completed: 200, failed: 0 });
    const lastRun = await env.client.workflow.getHandle(sweepWorkflowId(sweep.id)).fetchHistory();
    const started = lastRun.events![0]!.workflowExecutionStartedEventAttributes!;
    expect(started.continuedExecutionRunId).toBeTruthy(); // the run we finished in was a continuation
    const detail = await repos.sweeps.get(sweep.id);
    expect(detail!.trials.map((t) => t.number)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(detail!.counts.completed).toBe(200);
    const best = detail!.trials.find((t) => t.id === result.bestTrialId)!;
    expect(Math.abs(Math.log10(best.params.headLr as number) + 2)).toBeLessThan(0.2);
  }, 240_000);

  it('a GPU-time budget alone ends a synthetic sweep; extending it reaches the sweep row', async () => {
    const sweep = await launchSweep(
      { repos, temporal: gateway },
      {
        ...grid,
        name: 'e2e gpu budget',
        algorithm: 'random',
        maxParallel: 1,
        budget: { gpuHours: 0.001 },
        fixed: { epochs: 1 },
        searchSpace: { headLr: { type: 'loguniform', min: 1e-4, max: 1 } },
      },
    );
    await gateway.signal(sweepWorkflowId(sweep.id), 'extendGpuBudget', 0.001);
    const result = await resultOf(sweep.id);
    // No maxTrials: only the budget (7.2 s of trainer time in all) could end it.
    expect(result.status).toBe('completed');
    const detail = (await repos.sweeps.get(sweep.id))!;
    expect(detail.gpuHoursBudget).toBeCloseTo(0.002, 9);
    expect(detail.trials.length).toBeGreaterThan(0);
    for (const t of detail.trials) {
      expect(t.status).toBe('completed');
      expect(t.gpuSeconds).toBeGreaterThan(0);
    }
    const spent = detail.trials.reduce((sum, t) => sum + t.gpuSeconds!, 0);
    expect(detail.gpuSecondsUsed).toBeCloseTo(spent, 6);
    expect(result.progress.gpuSecondsUsed).toBeCloseTo(spent, 6);
  }, 120_000);

  it('runs the real tfjs transfer trainer (the default) through the whole stack', async () => {
    const sweep = await launchSweep(
      { repos, temporal: gateway },
      {
        name: 'e2e tfjs',
        dataset: 'demo:mnist-5-9',
        baseModel: 'demo:scratch',
        algorithm: 'grid',
        maxParallel: 2,
        fixed: { epochs: 2, batchSize: 32 },
        searchSpace: { freezeDepth: { type: 'choice', values: ['full', 'partial'] } },
      },
    );
    const result = await resultOf(sweep.id);
    const detail = await repos.sweeps.get(sweep.id);
    expect(detail!.trials.map((t) => [t.status, t.error])).toEqual([
      ['completed', null],
      ['completed', null],
    ]);
    expect(result.status).toBe('completed');
    expect(result.bestValue).toBeGreaterThan(0.2); // 5 classes: chance is 0.2
    const best = detail!.trials.find((t) => t.id === result.bestTrialId)!;
    expect(best.values.native_backend).toBe(1);
    const valAcc = (await repos.metrics.forTrial(best.id)).filter((p) => p.name === 'val_acc');
    expect(valAcc.map((p) => p.epoch)).toEqual([0, 1]);
  }, 120_000);

  it('a tfjs sweep on a missing dataset folder fails once, before any trial', async () => {
    const sweep = await launchSweep(
      { repos, temporal: gateway },
      {
        name: 'e2e preflight',
        dataset: join(workDir, 'no-such-dataset'),
        baseModel: 'demo:scratch',
        algorithm: 'grid',
        searchSpace: { freezeDepth: { type: 'choice', values: ['full', 'partial'] } },
      },
    );
    const result = await resultOf(sweep.id);
    expect(result.status).toBe('failed');
    const detail = (await repos.sweeps.get(sweep.id))!;
    expect(detail.trials).toEqual([]);
    expect(detail.error).toMatch(
      /none was started: dataset: the folder .*no-such-dataset does not exist/,
    );
  });

  it('cancel mid-sweep stops the running trainers and leaves no process behind', async () => {
    const sweep = await launchSweep(
      { repos, temporal: gateway },
      { ...grid, name: 'e2e cancel', maxParallel: 2, fixed: { epochs: 20, sleepMs: 500 } },
    );
    // A trial is marked running as its trainer gets it: wait for both to report.
    const deadline = Date.now() + 60_000;
    const reporting = async () => {
      const running = (await repos.sweeps.get(sweep.id))!.trials.filter(
        (t) => t.status === 'running',
      );
      const points = await Promise.all(running.map((t) => repos.metrics.forTrial(t.id)));
      return points.filter((p) => p.length > 0).length;
    };
    while ((await reporting()) < 2) {
      if (Date.now() > deadline) throw new Error('trials never started');
      await sleep(100);
    }
    await gateway.cancel(sweep.workflowId!);
    const result = await resultOf(sweep.id);
    expect(result.status).toBe('cancelled');

    const detail = await repos.sweeps.get(sweep.id);
    expect(detail!.status).toBe('cancelled');
    // Trials get a row when registered: the two running ones, up to one launched behind each
    // (pipelined slots) and up to maxParallel registered ahead (sweep-ahead.ts), all cancelled
    // now; none completed, none left pending.
    expect(detail!.counts).toMatchObject({
      running: 0,
      pending: 0,
      completed: 0,
      pruned: 0,
      failed: 0,
    });
    expect(detail!.counts.cancelled).toBeGreaterThanOrEqual(2);
    expect(detail!.counts.cancelled).toBeLessThanOrEqual(6);
    expect(detail!.plannedTrials).toBe(6);
    await sleep(300);
    // The processes that ran the cancelled trials are gone (a reused one is replaced, as a
    // failed one is); an idle slot's pooled process may stay.
    const slots = detail!.trials.map((t) => t.slot).filter((s): s is number => s !== null);
    expect(slots.length).toBeGreaterThanOrEqual(2);
    for (const slot of slots) expect(pooledProcesses(slot)).toEqual([]);
    expect(perTrialProcesses()).toEqual([]);
  });
});
