import { describe, expect, it } from 'vitest';
import { trialId, type PbtPlacement, type SweepSpecInput } from '@retune/core';
import { useTestApi } from '../../test-support/context';

const api = useTestApi();

const spec: SweepSpecInput = {
  name: 'pbt',
  dataset: 'demo:mnist-5-9',
  baseModel: 'demo:scratch',
  trainer: { name: 'synthetic' },
  algorithm: 'pbt',
  searchSpace: { lr: { type: 'loguniform', min: 1e-4, max: 1 } },
  fixed: { epochs: 4 },
  pbt: { population: 2, interval: 2 },
};

const placement = (
  member: number,
  generation: number,
  parent: number | null,
  copiedFrom?: number,
): PbtPlacement => ({
  member,
  generation,
  startEpoch: generation * 2,
  endEpoch: generation * 2 + 2,
  parent,
  ...(copiedFrom !== undefined
    ? { copiedFrom, changes: { lr: { from: 0.1, to: 0.08, how: 'perturb' } } }
    : {}),
  resumeFrom: null,
  seedTrial: 0,
});

describe('sweep.pbtFamily', () => {
  it('shows who copied whom and the schedule each final member followed', async () => {
    const sweep = await api.caller().sweep.launch({ spec });
    const rows = [
      { lr: 0.1, pbt: placement(0, 0, null), acc: 0.5 },
      { lr: 0.001, pbt: placement(1, 0, null), acc: 0.3 },
      { lr: 0.1, pbt: placement(0, 1, 0), acc: 0.7 },
      { lr: 0.08, pbt: placement(1, 1, 0, 0), acc: 0.75 },
    ];
    for (const [n, r] of rows.entries()) {
      const t = { trialId: trialId(sweep.id, n), number: n, params: { lr: r.lr }, pbt: r.pbt };
      await api.repos.trials.ensure(sweep.id, [t]);
      await api.repos.trials.finish(t.trialId, {
        status: 'completed',
        objective: r.acc,
        values: { val_acc: r.acc },
      });
    }
    const view = await api.caller().sweep.pbtFamily({ id: sweep.id });
    expect(view.searched).toEqual(['lr']);
    expect(view.generations).toBe(2);
    expect(view.exploits).toEqual([
      expect.objectContaining({ member: 1, copiedFrom: 0, epoch: 2, fromTrial: 0, toTrial: 3 }),
    ]);
    expect(view.schedules.map((s) => [s.member, s.objective, s.steps.map((x) => x.trial)])).toEqual(
      [
        [0, 0.7, [0, 2]],
        [1, 0.75, [0, 3]],
      ],
    );
  });

  it('answers NOT_FOUND for an unknown sweep', async () => {
    await expect(api.caller().sweep.pbtFamily({ id: 'nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
