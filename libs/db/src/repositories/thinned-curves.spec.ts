import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curveBudget, curveTargetEpochs, parseSweepSpec } from '@retune/core';
import { createDb, type Db } from '../client';
import { applyMigrations } from '../migrations';
import { freshPostgresDatabase, freshSqliteUrl } from '../test-support/databases';
import { createRepositories, type Repositories } from '.';

/** PostgreSQL server for tests (CI sets it); SQLite always runs. */
const postgresUrl = process.env.RETUNE_TEST_POSTGRES_URL;
const backends = [
  { name: 'SQLite', setup: async () => ({ url: freshSqliteUrl(), drop: async () => {} }) },
  ...(postgresUrl ? [{ name: 'PostgreSQL', setup: () => freshPostgresDatabase(postgresUrl) }] : []),
];

const spec = parseSweepSpec({
  name: 'curves',
  dataset: 'demo:mnist-5-9',
  baseModel: 'demo:cnn',
  algorithm: 'grid',
  searchSpace: { headLr: { type: 'choice', values: [0.01] } },
});

/** Trial i: `epochs[i]` epochs of val_acc (two steps each, the last one counts), objective -i. */
async function seed(repos: Repositories, sweepId: string, epochs: number[]): Promise<void> {
  await repos.sweeps.create({ id: sweepId, name: sweepId, spec, plannedTrials: epochs.length });
  const planned = epochs.map((_, i) => ({ trialId: `${sweepId}-${i}`, number: i, params: {} }));
  await repos.trials.ensure(sweepId, planned);
  for (const [i, n] of epochs.entries()) {
    const id = planned[i]!.trialId;
    await repos.trials.markRunning(id, { worker: 'w', slot: 0, attempt: 1 });
    await repos.metrics.write(
      id,
      Array.from({ length: n }, (_, e) => [
        { epoch: e, step: 2 * e, name: 'val_acc', value: -1 },
        { epoch: e, step: 2 * e + 1, name: 'val_acc', value: 1000 * i + e },
      ]).flat(),
    );
    await repos.trials.finish(id, { status: 'completed', objective: -i, values: {} });
  }
}

describe.each(backends)('metrics.curvesForSweep on $name', (backend) => {
  let db: Db;
  let repos: Repositories;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const { url, drop: d } = await backend.setup();
    drop = d;
    await applyMigrations(url);
    db = createDb(url);
    repos = createRepositories(db);
    await seed(repos, 'sw_thin', [60, 7, 1, 0]);
  }, 60_000);
  afterAll(async () => {
    await db?.$disconnect();
    await drop?.();
  });

  it('keeps evenly spaced epochs of each curve, first and last included, last step per epoch', async () => {
    const budget = { curves: 4, pointsPerCurve: 10 };
    const curves = await repos.metrics.curvesForSweep('sw_thin', 'val_acc', budget, 'maximize');
    const byId = new Map(curves.map((c) => [c.trialId, c]));
    // Trial 3 has no points: no curve. Each curve is spread over its own span (a pruned
    // trial of 7 epochs keeps all 7), per core's curveTargetEpochs.
    expect([...byId.keys()].sort()).toEqual(['sw_thin-0', 'sw_thin-1', 'sw_thin-2']);
    expect(byId.get('sw_thin-0')!.epochs).toEqual(curveTargetEpochs(0, 59, 10));
    expect(byId.get('sw_thin-0')!.epochs).toEqual([0, 7, 13, 20, 26, 33, 39, 46, 52, 59]);
    expect(byId.get('sw_thin-1')!.epochs).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(byId.get('sw_thin-2')!.epochs).toEqual([0]);
    for (const c of curves) {
      expect(c.epochs.length).toBeLessThanOrEqual(budget.pointsPerCurve);
      // The value is the epoch's last step (1000·trial + epoch), never the earlier -1.
      const trial = Number(c.trialId.split('-')[1]);
      expect(c.values).toEqual(c.epochs.map((e) => 1000 * trial + e));
    }
  });

  it('with gaps in the epochs, takes the nearest stored epoch at or before each target', async () => {
    await seed(repos, 'sw_gaps', [0]);
    await repos.metrics.write(
      'sw_gaps-0',
      [0, 3, 4, 9].map((e) => ({ epoch: e, step: e, name: 'val_acc', value: e })),
    );
    // Targets over 0..9 with 4 points are 0, 3, 6, 9; epoch 6 was never stored, 4 stands in.
    expect(curveTargetEpochs(0, 9, 4)).toEqual([0, 3, 6, 9]);
    const [c] = await repos.metrics.curvesForSweep(
      'sw_gaps',
      'val_acc',
      { curves: 1, pointsPerCurve: 4 },
      'maximize',
    );
    expect(c).toEqual({ trialId: 'sw_gaps-0', epochs: [0, 3, 4, 9], values: [0, 3, 4, 9] });
  });

  it('two points per curve keep the first and the last epoch', async () => {
    const curves = await repos.metrics.curvesForSweep(
      'sw_thin',
      'val_acc',
      { curves: 4, pointsPerCurve: 2 },
      'maximize',
    );
    expect(curves.find((c) => c.trialId === 'sw_thin-0')!.epochs).toEqual([0, 59]);
  });

  it('draws only the best trials by objective when not all fit', async () => {
    const pick = async (goal: 'maximize' | 'minimize') =>
      (
        await repos.metrics.curvesForSweep(
          'sw_thin',
          'val_acc',
          { curves: 2, pointsPerCurve: 5 },
          goal,
        )
      ).map((c) => c.trialId);
    // Objective is -i: trial 0 is best when maximizing; trial 3 (no points) then 2 when minimizing.
    expect(await pick('maximize')).toEqual(['sw_thin-0', 'sw_thin-1']);
    expect(await pick('minimize')).toEqual(['sw_thin-2']);
  });

  it("a sweep's total stays within core's budget", async () => {
    const budget = curveBudget(4, 12);
    const curves = await repos.metrics.curvesForSweep('sw_thin', 'val_acc', budget, 'maximize');
    const total = curves.reduce((n, c) => n + c.epochs.length, 0);
    expect(total).toBeLessThanOrEqual(12);
    expect(curves.find((c) => c.trialId === 'sw_thin-0')!.epochs).toEqual([0, 30, 59]);
    expect(await repos.metrics.curvesForSweep('sw_thin', 'nope', budget, 'maximize')).toEqual([]);
  });
});
