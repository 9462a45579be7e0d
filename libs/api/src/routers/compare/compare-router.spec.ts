import { beforeAll, describe, expect, it } from 'vitest';
import { differingParams } from '../../domain/compare';
import { useTestApi } from '../../test-support/context';
import { codeOf } from '../../test-support/trpc-errors';
import { seedFinishedSweep } from '../../test-support/seed-sweep';

const api = useTestApi();
let a: string[];
let b: string[];
beforeAll(async () => {
  a = (await seedFinishedSweep(api.repos, { id: 'sw_a', trials: 2, epochs: 3 })).trialIds;
  b = (await seedFinishedSweep(api.repos, { id: 'sw_b', trials: 8, epochs: 3 })).trialIds;
});

describe('compare router', () => {
  it('compares trials of several sweeps in the order asked, with curves per metric', async () => {
    const c = await api.caller().compare.trials({ trialIds: [b[7]!, a[0]!] });
    expect(c.trials.map((t) => [t.id, t.sweepId])).toEqual([
      [b[7], 'sw_b'],
      [a[0], 'sw_a'],
    ]);
    expect(c.trials[1]!.curves.val_acc!.epochs).toEqual([0, 1, 2]);
    expect(c.trials[1]!.curves.val_loss!.values).toHaveLength(3);
    expect(c.params).toEqual(['headLr', 'freezeDepth']);
    // Trial 7 has freezeDepth 0 like trial 0 of the other sweep; headLr differs.
    expect(c.differingParams).toEqual(['headLr']);
    expect(c.metrics).toEqual(['val_acc', 'val_acc_class_5', 'val_acc_class_6', 'val_loss']);
  });

  it('differingParams counts a missing param as a difference', () => {
    expect(differingParams([{ params: { x: 1, y: 'a' } }, { params: { x: 1 } }])).toEqual(['y']);
  });

  it('an unknown trial is NOT_FOUND, too many trials BAD_REQUEST, anonymous UNAUTHORIZED', async () => {
    expect(await codeOf(api.caller().compare.trials({ trialIds: [a[0]!, 'nope'] }))).toBe(
      'NOT_FOUND',
    );
    const many = Array.from({ length: 21 }, (_, i) => `t${i}`);
    expect(await codeOf(api.caller().compare.trials({ trialIds: many }))).toBe('BAD_REQUEST');
    expect(await codeOf(api.caller(null).compare.trials({ trialIds: [a[0]!] }))).toBe(
      'UNAUTHORIZED',
    );
  });
});
