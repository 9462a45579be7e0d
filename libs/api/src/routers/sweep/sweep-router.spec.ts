import { describe, expect, it } from 'vitest';
import { sweepDetailSchema, sweepSummarySchema, type SweepSpecInput } from '@retune/core';
import { useTestApi } from '../../test-support/context';
import { trpcError } from '../../test-support/trpc-errors';

const spec: SweepSpecInput = {
  name: 'router test',
  dataset: 'demo:mnist-5-9',
  baseModel: 'demo:cnn',
  algorithm: 'grid',
  searchSpace: {
    headLr: { type: 'choice', values: [0.01, 0.1] },
    freezeDepth: { type: 'int', min: 0, max: 2 },
  },
};

const api = useTestApi();

describe('sweep router', () => {
  it('launch stores the sweep and starts its workflow under a deterministic id', async () => {
    const sweep = await api.caller().sweep.launch({ spec });
    expect(sweepSummarySchema.parse(sweep)).toMatchObject({
      status: 'queued',
      plannedTrials: 6,
      workflowId: `sweep-${sweep.id}`,
    });
    expect(sweep.id).toMatch(/^sw_[0-9a-z]{10}$/);
    expect(api.temporal.started.at(-1)).toMatchObject({
      sweepId: sweep.id,
      spec: { name: 'router test', maxParallel: 1 },
    });
    expect((await api.repos.sweeps.get(sweep.id))!.workflowId).toBe(`sweep-${sweep.id}`);
  });

  it('an invalid spec is BAD_REQUEST naming each field, and nothing is stored', async () => {
    const before = (await api.caller().sweep.list()).length;
    const err = await trpcError(
      api.caller().sweep.launch({
        spec: {
          ...spec,
          algorithm: 'bayes',
          searchSpace: { lr: { type: 'loguniform', min: 0, max: 1 } },
        },
      }),
    );
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.message).toMatch(/algorithm: unknown algorithm "bayes"/);
    expect(err.message).toMatch(/searchSpace\.lr\.min: loguniform needs min > 0/);
    expect((await api.caller().sweep.list()).length).toBe(before);
  });

  it('a param the built-in trainer does not know is BAD_REQUEST naming the closest one', async () => {
    const before = (await api.caller().sweep.list()).length;
    const started = api.temporal.started.length;
    const err = await trpcError(
      api.caller().sweep.launch({ spec: { ...spec, fixed: { freezeDept: 2 } } }),
    );
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.message).toMatch(/fixed\.freezeDept: .*did you mean "freezeDepth"\?/);
    expect((await api.caller().sweep.list()).length).toBe(before);
    expect(api.temporal.started.length).toBe(started);
  });

  it('a grid larger than maxTrials is BAD_REQUEST on maxTrials', async () => {
    const err = await trpcError(api.caller().sweep.launch({ spec: { ...spec, maxTrials: 2 } }));
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.message).toMatch(/^maxTrials: the grid has 6 points/);
  });

  it('anonymous mutations are UNAUTHORIZED and change nothing', async () => {
    const before = (await api.caller().sweep.list()).length;
    const started = api.temporal.started.length;
    expect((await trpcError(api.caller(null).sweep.launch({ spec }))).code).toBe('UNAUTHORIZED');
    expect((await trpcError(api.caller(null).sweep.cancel({ id: 'x' }))).code).toBe('UNAUTHORIZED');
    expect((await api.caller().sweep.list()).length).toBe(before);
    expect(api.temporal.started.length).toBe(started);
  });

  it('a workflow that cannot start leaves the sweep failed with the reason', async () => {
    api.temporal.failWith = new Error('connection refused');
    const err = await trpcError(
      api.caller().sweep.launch({ spec: { ...spec, name: 'no temporal' } }),
    );
    api.temporal.failWith = null;
    expect(err.code).toBe('SERVICE_UNAVAILABLE');
    const stored = (await api.caller().sweep.list()).find((s) => s.name === 'no temporal');
    expect(stored).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/connection refused/),
    });
  });

  it('list and get return the view shapes; unknown ids are NOT_FOUND', async () => {
    const [latest] = await api.caller().sweep.list({ limit: 1 });
    expect(latest).toBeDefined();
    const listed = await api.caller().sweep.list();
    const launched = listed.find((s) => s.name === 'router test')!;
    const detail = await api.caller().sweep.get({ id: launched.id });
    expect(sweepDetailSchema.parse(detail).trials).toEqual([]);
    expect(detail.spec).toMatchObject({ name: 'router test' });
    expect((await trpcError(api.caller().sweep.get({ id: 'sw_missing' }))).code).toBe('NOT_FOUND');
    expect((await trpcError(api.caller().sweep.metrics({ trialId: 'nope' }))).code).toBe(
      'NOT_FOUND',
    );
  });

  it('cancel signals a running sweep and refuses a finished one', async () => {
    const sweep = await api.caller().sweep.launch({ spec: { ...spec, name: 'to cancel' } });
    await api.repos.sweeps.markRunning(sweep.id);
    expect(await api.caller().sweep.cancel({ id: sweep.id })).toEqual({
      id: sweep.id,
      status: 'cancelling',
    });
    expect(api.temporal.cancelled).toContain(`sweep-${sweep.id}`);
    await api.repos.sweeps.finish(sweep.id, {
      status: 'cancelled',
      bestTrialId: null,
      bestValue: null,
    });
    expect((await trpcError(api.caller().sweep.cancel({ id: sweep.id }))).code).toBe('CONFLICT');
  });
});
