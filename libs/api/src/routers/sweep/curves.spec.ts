import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApi } from '../../test-support/context';
import { seedFinishedSweep } from '../../test-support/seed-sweep';
import { codeOf } from '../../test-support/trpc-errors';

const api = useTestApi();
beforeAll(async () => {
  await seedFinishedSweep(api.repos, { id: 'sw_curves', trials: 3, epochs: 5 });
  await seedFinishedSweep(api.repos, { id: 'sw_long', trials: 2, epochs: 60 });
});

describe('sweep.curves', () => {
  it("returns the objective's curve of every trial per epoch", async () => {
    const c = await api.caller().sweep.curves({ id: 'sw_curves' });
    expect(c.metricName).toBe('val_acc');
    expect(c.curves.map((x) => x.trialId).sort()).toEqual([
      'sw_curves-t0',
      'sw_curves-t1',
      'sw_curves-t2',
    ]);
    expect(c.curves[0]!.epochs).toEqual([0, 1, 2, 3, 4]);
    expect(c.curves[0]!.values[4]).toBeCloseTo(0.9);
  });

  it('returns another metric on request', async () => {
    const c = await api.caller().sweep.curves({ id: 'sw_curves', metric: 'val_loss' });
    expect(c.curves[0]!.values[4]).toBeCloseTo(0.1);
    expect((await api.caller().sweep.curves({ id: 'sw_curves', metric: 'nope' })).curves).toEqual(
      [],
    );
  });

  it("thins long curves to core's budget, keeping the first and last epoch", async () => {
    const c = await api.caller().sweep.curves({ id: 'sw_long' });
    // Two trials get half the budget each: 60 epochs are kept whole.
    expect(c.maxPoints).toBe(10_000);
    expect(c.curves[0]!.epochs).toHaveLength(60);
    const thinned = await api.repos.metrics.curvesForSweep(
      'sw_long',
      'val_acc',
      { curves: 2, pointsPerCurve: 10 },
      'maximize',
    );
    expect(thinned[0]!.epochs).toEqual([0, 7, 13, 20, 26, 33, 39, 46, 52, 59]);
  });

  it('unknown sweep NOT_FOUND, anonymous UNAUTHORIZED', async () => {
    expect(await codeOf(api.caller().sweep.curves({ id: 'nope' }))).toBe('NOT_FOUND');
    expect(await codeOf(api.caller(null).sweep.curves({ id: 'sw_curves' }))).toBe('UNAUTHORIZED');
  });
});

describe('sweep.formOptions and list search', () => {
  it('offers demo datasets and registered base models', async () => {
    await api.repos.baseModels.register({
      id: 'bm1',
      name: 'my-base',
      path: '/m/model.json',
      inputShape: [null, 28, 28, 1],
      source: 'pretrain on demo:mnist-0-4',
    });
    const o = await api.caller().sweep.formOptions();
    expect(o.datasets.map((d) => d.id)).toContain('demo:mnist-5-9');
    expect(o.baseModels.map((m) => m.id)).toEqual([
      'demo:mnist-0-4-cnn',
      'demo:scratch',
      'imagenet:efficientnet-lite0@128',
      'imagenet:efficientnet-lite0',
      'imagenet-ft:mobilenet-v2',
      'my-base',
    ]);
  });

  it('list filters by part of the name', async () => {
    const found = await api.caller().sweep.list({ limit: 10, search: 'sw_lo' });
    expect(found.map((s) => s.id)).toEqual(['sw_long']);
  });
});
