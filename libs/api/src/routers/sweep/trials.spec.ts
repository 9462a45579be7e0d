import { describe, expect, it } from 'vitest';
import { trialId, type SweepSpecInput } from '@retune/core';
import { useTestApi } from '../../test-support/context';
import { trpcError } from '../../test-support/trpc-errors';

const api = useTestApi();

const spec: SweepSpecInput = {
  name: 'paged',
  dataset: 'demo:mnist-5-9',
  baseModel: 'demo:scratch',
  algorithm: 'random',
  maxTrials: 7,
  searchSpace: { freezeDepth: { type: 'int', min: 0, max: 6 } },
};

// Trial n's objective; null: still pending (no result).
const OBJECTIVES = [0.5, 0.9, null, 0.7, 0.9, null, 0.1];

async function seeded(): Promise<string> {
  const sweep = await api.caller().sweep.launch({ spec });
  for (const [n, objective] of OBJECTIVES.entries()) {
    const t = { trialId: trialId(sweep.id, n), number: n, params: { freezeDepth: n } };
    await api.repos.trials.ensure(sweep.id, [t]);
    if (objective === null) continue;
    await api.repos.trials.finish(t.trialId, { status: 'completed', objective, values: {} });
  }
  await api.repos.sweeps.offerBest(sweep.id, trialId(sweep.id, 1), 0.9);
  return sweep.id;
}

describe('sweep.trials', () => {
  it('pages in trial-number order by default, with the total', async () => {
    const id = await seeded();
    const first = await api.caller().sweep.trials({ id, limit: 3 });
    const second = await api.caller().sweep.trials({ id, limit: 3, offset: 3 });
    expect(first.total).toBe(7);
    expect(first.trials.map((t) => t.number)).toEqual([0, 1, 2]);
    expect(second.trials.map((t) => t.number)).toEqual([3, 4, 5]);
  });

  it('sorts by objective on the server, ties by number, no result last either way', async () => {
    const id = await seeded();
    const desc = await api.caller().sweep.trials({ id, sort: 'objective', dir: 'desc' });
    expect(desc.trials.map((t) => t.number)).toEqual([1, 4, 3, 0, 6, 2, 5]);
    const asc = await api.caller().sweep.trials({ id, sort: 'objective', dir: 'asc' });
    expect(asc.trials.map((t) => t.number)).toEqual([6, 0, 3, 1, 4, 2, 5]);
  });

  it('keeps only scored trials when asked (the best N for a chart)', async () => {
    const id = await seeded();
    const best = await api.caller().sweep.trials({
      id,
      sort: 'objective',
      dir: 'desc',
      limit: 2,
      scoredOnly: true,
    });
    expect(best.total).toBe(5);
    expect(best.trials.map((t) => t.number)).toEqual([1, 4]);
  });

  it('refuses an unknown sweep and a page larger than the cap', async () => {
    expect((await trpcError(api.caller().sweep.trials({ id: 'sw_missing' }))).code).toBe(
      'NOT_FOUND',
    );
    const id = await seeded();
    expect((await trpcError(api.caller().sweep.trials({ id, limit: 5000 }))).code).toBe(
      'BAD_REQUEST',
    );
  });
});

describe('sweep.overview', () => {
  it('gives the counts and the best trial without the trial list', async () => {
    const id = await seeded();
    const o = await api.caller().sweep.overview({ id });
    expect(o.counts.completed).toBe(5);
    expect(o.counts.pending).toBe(2);
    expect(o.best?.number).toBe(1);
    expect(o).not.toHaveProperty('trials');
    const full = await api.caller().sweep.get({ id });
    expect(o.counts).toEqual(full.counts);
  });
});

describe('sweep.chartTrials', () => {
  it('gives every scored trial of a small sweep, by number', async () => {
    const id = await seeded();
    const trials = await api.caller().sweep.chartTrials({ id });
    expect(trials.map((t) => t.number)).toEqual([0, 1, 3, 4, 6]);
  });

  it('beyond the budget: the best trials plus scored trials at evenly spread numbers', async () => {
    const id = await seeded();
    // Best two: #1, #4 (0.9); the spread over 0..6 is #0, #2, #4 of which #2 has no result.
    const trials = await api.repos.sweeps.chartTrials(id, { goal: 'maximize', best: 2, sample: 3 });
    expect(trials.map((t) => t.number)).toEqual([0, 1, 4]);
    const low = await api.repos.sweeps.chartTrials(id, { goal: 'minimize', best: 1, sample: 3 });
    expect(low.map((t) => t.number)).toEqual([0, 4, 6]);
  });

  it('sweep.trials keeps only the ids asked for', async () => {
    const id = await seeded();
    const page = await api.caller().sweep.trials({ id, ids: [`${id}-t4`, `${id}-t0`, 'nope'] });
    expect(page.trials.map((t) => t.number)).toEqual([0, 4]);
  });
});
