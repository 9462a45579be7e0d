import { describe, expect, it } from 'vitest';
import { trialId, type SweepSpecInput } from '@retune/core';
import { useTestApi } from '../../test-support/context';

const api = useTestApi();

const spec: SweepSpecInput = {
  name: 'pareto',
  dataset: 'demo:mnist-5-9',
  baseModel: 'demo:scratch',
  algorithm: 'random',
  maxTrials: 5,
  objectives: [{ name: 'trainable_params', goal: 'minimize' }],
  searchSpace: { freezeDepth: { type: 'int', min: 0, max: 6 } },
};

describe('sweep.pareto', () => {
  it('marks the trials no other trial beats on accuracy and weights together', async () => {
    const sweep = await api.caller().sweep.launch({ spec });
    // [val_acc, trainable_params]: t0 and t2 trade off; t1 is beaten by t0 on both; t3 lacks
    // the second objective and is left out.
    const results = [
      { val_acc: 0.9, trainable_params: 500 },
      { val_acc: 0.8, trainable_params: 600 },
      { val_acc: 0.7, trainable_params: 100 },
      { val_acc: 0.95 },
    ];
    for (const [n, values] of results.entries()) {
      const t = { trialId: trialId(sweep.id, n), number: n, params: { freezeDepth: n } };
      await api.repos.trials.ensure(sweep.id, [t]);
      await api.repos.trials.finish(t.trialId, {
        status: 'completed',
        objective: values.val_acc,
        values: values as Record<string, number>,
      });
    }
    const view = await api.caller().sweep.pareto({ id: sweep.id });
    expect(view.objectives).toEqual([
      { name: 'val_acc', goal: 'maximize' },
      { name: 'trainable_params', goal: 'minimize' },
    ]);
    expect(view.points.map((p) => [p.number, p.onFront])).toEqual([
      [0, true],
      [1, false],
      [2, true],
    ]);
    expect(view.points[0]!.values).toEqual([0.9, 500]);
  });

  it('keeps infeasible trials off the front, marked, whether recorded so or measured', async () => {
    const constrained = { ...spec, constraints: [{ name: 'trainable_params', max: 550 }] };
    const sweep = await api.caller().sweep.launch({ spec: constrained });
    // t0 (marked infeasible by the workflow) would dominate t1; t2 breaks the constraint.
    const results = [
      { values: { val_acc: 0.9, trainable_params: 500 }, infeasible: true },
      { values: { val_acc: 0.8, trainable_params: 520 } },
      { values: { val_acc: 0.99, trainable_params: 900 } },
    ];
    for (const [n, r] of results.entries()) {
      const t = { trialId: trialId(sweep.id, n), number: n, params: { freezeDepth: n } };
      await api.repos.trials.ensure(sweep.id, [t]);
      await api.repos.trials.finish(t.trialId, {
        status: 'completed',
        objective: r.values.val_acc,
        ...r,
      });
    }
    const view = await api.caller().sweep.pareto({ id: sweep.id });
    expect(view.points.map((p) => [p.number, p.onFront, p.infeasible ?? false])).toEqual([
      [0, false, true],
      [1, true, false],
      [2, false, true],
    ]);
  });

  it('answers NOT_FOUND for an unknown sweep', async () => {
    await expect(api.caller().sweep.pareto({ id: 'nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
