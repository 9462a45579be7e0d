import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSweepSpec, trialId, type SweepSpecInput } from '@retune/core';
import { createDb, createRepositories, type Db, type Repositories } from '@retune/db';
import { applyMigrations } from '@retune/db/migrations';
import { createControlActivities } from './control-activities';

const base: SweepSpecInput = {
  name: 'warm',
  dataset: 'demo:mnist-5-9',
  baseModel: 'demo:mnist-0-4-cnn',
  algorithm: 'tpe',
  maxTrials: 5,
  searchSpace: { headLr: { type: 'loguniform', min: 1e-4, max: 1 } },
};

let db: Db;
let repos: Repositories;

/** A finished sweep whose trials completed with these objectives (and the given values). */
async function finishedSweep(
  id: string,
  spec: SweepSpecInput,
  results: { objective: number; values: Record<string, number> }[],
) {
  const parsed = parseSweepSpec(spec);
  await repos.sweeps.create({ id, name: parsed.name, spec: parsed, plannedTrials: results.length });
  const planned = results.map((_, n) => ({
    trialId: trialId(id, n),
    number: n,
    params: { headLr: 10 ** -(n + 1) },
  }));
  await repos.trials.ensure(id, planned);
  for (const [n, r] of results.entries()) {
    await repos.trials.finish(trialId(id, n), { status: 'completed', ...r });
  }
}

beforeAll(async () => {
  const url = `file:${join(mkdtempSync(join(tmpdir(), 'retune-warm-')), 'test.db')}`;
  await applyMigrations(url);
  db = createDb(url);
  repos = createRepositories(db);
  await finishedSweep('same-task', base, [
    { objective: 0.8, values: { val_acc: 0.8, trainable_params: 100 } },
    { objective: 0.9, values: { val_acc: 0.9 } },
  ]);
  await finishedSweep('other-dataset', { ...base, dataset: 'demo:mnist-5-9-noisy' }, [
    { objective: 0.5, values: { val_acc: 0.5, trainable_params: 50 } },
  ]);
});

afterAll(async () => {
  await db?.$disconnect();
});

describe('loadWarmStart', () => {
  const acts = () => createControlActivities({ repos });

  it('takes completed trials of earlier sweeps on the same task, not its own or other tasks', async () => {
    await finishedSweep('current', base, [{ objective: 0.1, values: { val_acc: 0.1 } }]);
    const warm = await acts().loadWarmStart('current', parseSweepSpec({ ...base, warmStart: {} }));
    expect(warm.sourceSweeps).toBe(1);
    expect(warm.trials.map((t) => t.values[0]).sort()).toEqual([0.8, 0.9]);
    expect(warm.trials.find((t) => t.values[0] === 0.8)!.params).toEqual({ headLr: 0.1 });
  });

  it('reads the listed sweeps when given, and keeps only trials with every objective', async () => {
    const spec = parseSweepSpec({
      ...base,
      objectives: [{ name: 'trainable_params', goal: 'minimize' }],
      warmStart: { sweeps: ['same-task', 'other-dataset'] },
    });
    const warm = await acts().loadWarmStart('current', spec);
    expect(warm.trials.map((t) => t.values)).toEqual(
      expect.arrayContaining([
        [0.8, 100],
        [0.5, 50],
      ]),
    );
    expect(warm.trials).toHaveLength(2);
  });

  it('returns nothing without warmStart', async () => {
    expect(await acts().loadWarmStart('current', parseSweepSpec(base))).toEqual({
      trials: [],
      sourceSweeps: 0,
    });
  });
});

describe('recordTrialOutcome', () => {
  it('stores GPU time and the infeasible mark; an infeasible trial is never offered as best', async () => {
    const spec = parseSweepSpec({ ...base, budget: { gpuHours: 2 } });
    await repos.sweeps.create({ id: 'gpu', name: 'gpu', spec, plannedTrials: 2 });
    const planned = [0, 1].map((n) => ({ trialId: trialId('gpu', n), number: n, params: {} }));
    await repos.trials.ensure('gpu', planned);
    const acts = createControlActivities({ repos });
    await acts.recordTrialOutcome(trialId('gpu', 0), {
      status: 'completed',
      objective: 0.9,
      values: { val_acc: 0.9 },
      gpuSeconds: 1800,
      infeasible: true,
    });
    await acts.recordTrialOutcome(trialId('gpu', 1), {
      status: 'completed',
      objective: 0.5,
      values: { val_acc: 0.5 },
      gpuSeconds: 900,
    });
    const sweep = (await repos.sweeps.get('gpu'))!;
    expect(sweep.bestTrialId).toBe(trialId('gpu', 1));
    expect(sweep.trials.map((t) => [t.infeasible, t.gpuSeconds])).toEqual([
      [true, 1800],
      [false, 900],
    ]);
    expect(sweep).toMatchObject({ gpuHoursBudget: 2, gpuSecondsUsed: 2700 });
    const [listed] = await repos.sweeps.list({ search: 'gpu' });
    expect(listed).toMatchObject({ gpuHoursBudget: 2, gpuSecondsUsed: 2700 });
    await acts.updateSweep('gpu', { status: 'running', plannedTrials: 2, gpuHoursBudget: 3 });
    expect((await repos.sweeps.get('gpu'))!.gpuHoursBudget).toBe(3);
  });
});

describe('recordTrials (one workflow task’s writes)', () => {
  it('registers trials and records outcomes in one call; a retried call changes nothing', async () => {
    const spec = parseSweepSpec(base);
    await repos.sweeps.create({ id: 'batch', name: 'batch', spec, plannedTrials: 3 });
    const planned = [0, 1, 2].map((n) => ({ trialId: trialId('batch', n), number: n, params: {} }));
    await repos.trials.ensure('batch', planned.slice(0, 1));
    const acts = createControlActivities({ repos });
    const batch = {
      register: planned.slice(1),
      outcomes: [
        {
          trialId: trialId('batch', 0),
          outcome: { status: 'completed' as const, objective: 0.7, values: { val_acc: 0.7 } },
        },
      ],
    };
    await acts.recordTrials('batch', batch);
    await acts.recordTrials('batch', batch);
    const sweep = (await repos.sweeps.get('batch'))!;
    expect(sweep.trials.map((t) => [t.number, t.status])).toEqual([
      [0, 'completed'],
      [1, 'pending'],
      [2, 'pending'],
    ]);
    expect(sweep.bestTrialId).toBe(trialId('batch', 0));
  });
});
