import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import type { SweepSpecInput } from '@retune/core';
import { useTestApi } from '../../test-support/context';

const random: SweepSpecInput = {
  name: 'control test',
  dataset: 'demo:mnist-5-9',
  baseModel: 'demo:scratch',
  algorithm: 'random',
  maxTrials: 4,
  searchSpace: { headLr: { type: 'loguniform', min: 1e-4, max: 1e-1 } },
};

const api = useTestApi();

const code = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(TRPCError);
    return (err as TRPCError).code;
  }
  throw new Error('expected a TRPCError');
};

describe('sweep.control', () => {
  it('signals pause, resume, extendBudget and retryFailed when the state allows it', async () => {
    const sweep = await api.caller().sweep.launch({ spec: random });
    const wf = `sweep-${sweep.id}`;
    await api.repos.sweeps.markRunning(sweep.id);

    expect(
      await code(api.caller().sweep.control({ id: sweep.id, request: { action: 'resume' } })),
    ).toBe('CONFLICT');
    await api.caller().sweep.control({ id: sweep.id, request: { action: 'pause' } });
    await api.repos.sweeps.update(sweep.id, { status: 'paused' });
    await api.caller().sweep.control({ id: sweep.id, request: { action: 'resume' } });
    await api.caller().sweep.control({
      id: sweep.id,
      request: { action: 'extendBudget', extraTrials: 3 },
    });
    expect(
      await code(api.caller().sweep.control({ id: sweep.id, request: { action: 'retryFailed' } })),
    ).toBe('CONFLICT');

    expect(api.temporal.signals).toEqual([
      { workflowId: wf, signal: 'pause', args: [] },
      { workflowId: wf, signal: 'resume', args: [] },
      { workflowId: wf, signal: 'extendBudget', args: [3] },
    ]);
  });

  it('refuses to extend a grid, validates the count and requires sign-in', async () => {
    const before = api.temporal.signals.length;
    const grid = await api.caller().sweep.launch({
      spec: {
        ...random,
        algorithm: 'grid',
        searchSpace: { units: { type: 'choice', values: [16, 32] } },
      },
    });
    const extend = (n: number, user: { id: string } | null = { id: 'u' }) =>
      api
        .caller(user)
        .sweep.control({ id: grid.id, request: { action: 'extendBudget', extraTrials: n } });
    expect(await code(extend(2))).toBe('BAD_REQUEST');
    expect(await code(extend(0))).toBe('BAD_REQUEST');
    expect(await code(extend(2, null))).toBe('UNAUTHORIZED');
    expect(api.temporal.signals.length).toBe(before);
  });

  it('adds GPU hours to a sweep with a GPU-time budget; refuses ≤ 0 and sweeps without one', async () => {
    const budgeted = await api.caller().sweep.launch({
      spec: { ...random, maxTrials: undefined, budget: { gpuHours: 2 } },
    });
    expect(budgeted.gpuHoursBudget).toBe(2);
    await api.repos.sweeps.markRunning(budgeted.id);
    const plain = await api.caller().sweep.launch({ spec: random });
    const extend = (id: string, extraGpuHours: number) =>
      api.caller().sweep.control({ id, request: { action: 'extendGpuBudget', extraGpuHours } });
    const before = api.temporal.signals.length;
    await extend(budgeted.id, 1.5);
    expect(await code(extend(budgeted.id, 0))).toBe('BAD_REQUEST');
    expect(await code(extend(plain.id, 1))).toBe('BAD_REQUEST');
    expect(api.temporal.signals.slice(before)).toEqual([
      { workflowId: `sweep-${budgeted.id}`, signal: 'extendGpuBudget', args: [1.5] },
    ]);
  });

  it('refuses a launch with a GPU budget of 0 or less, naming the field', async () => {
    const err = await api
      .caller()
      .sweep.launch({ spec: { ...random, budget: { gpuHours: 0 } } })
      .catch((e: unknown) => e as TRPCError);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe('BAD_REQUEST');
    expect(String((err as TRPCError).message)).toMatch(/budget\.gpuHours.*more than 0/);
  });
});
