import { describe, expect, it } from 'vitest';
import { trialId, type SweepSpecInput } from '@retune/core';
import { useTestApi } from '../../test-support/context';

const api = useTestApi();

const spec: SweepSpecInput = {
  name: 'importance',
  dataset: 'demo:mnist-5-9',
  baseModel: 'demo:scratch',
  // A param of its own (noise): a command trainer, as the tfjs trainer would refuse it at launch.
  trainer: { command: ['my-trainer'] },
  algorithm: 'random',
  maxTrials: 40,
  searchSpace: {
    headLr: { type: 'loguniform', min: 1e-4, max: 1 },
    noise: { type: 'uniform', min: 0, max: 1 },
  },
};

describe('sweep.importance', () => {
  it('ranks the parameter that drives the metric first; empty before two results', async () => {
    // Only admins may launch a raw trainer command.
    const sweep = await api.caller({ id: 'a1', role: 'admin' }).sweep.launch({ spec });
    expect(await api.caller().sweep.importance({ id: sweep.id })).toEqual([]);
    for (let n = 0; n < 40; n++) {
      const headLr = Math.max(1e-4, 10 ** (-4 + (4 * ((n * 7) % 40)) / 40));
      const noise = ((n * 13) % 40) / 40;
      const t = { trialId: trialId(sweep.id, n), number: n, params: { headLr, noise } };
      await api.repos.trials.ensure(sweep.id, [t]);
      const objective = 1 - (Math.log10(headLr) + 2) ** 2 / 4;
      await api.repos.trials.finish(t.trialId, { status: 'completed', objective, values: {} });
    }
    const ranked = await api.caller().sweep.importance({ id: sweep.id });
    expect(ranked.map((r) => r.param)).toEqual(['headLr', 'noise']);
    expect(ranked[0]!.importance).toBeGreaterThan(0.8);
    expect(ranked.reduce((s, r) => s + r.importance, 0)).toBeCloseTo(1, 6);
  });
});
