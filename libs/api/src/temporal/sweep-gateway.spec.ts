import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { parseSweepSpec } from '@retune/core';
import { ConflictError, UpstreamError } from '../domain/errors';
import { createLazyTemporalSweepGateway, createTemporalSweepGateway } from './sweep-gateway';

/** Records what the gateway asks of the Temporal client. */
function fakeClient(signalError?: Error) {
  const calls: unknown[][] = [];
  const client = {
    workflow: {
      start: async (type: string, opts: { workflowId: string }) => {
        calls.push(['start', type, opts]);
        return { workflowId: opts.workflowId };
      },
      getHandle: (workflowId: string) => ({
        signal: async (name: string, ...args: unknown[]) => {
          if (signalError) throw signalError;
          calls.push(['signal', workflowId, name, ...args]);
        },
      }),
    },
  };
  return { client: client as unknown as Client, calls };
}

const spec = parseSweepSpec({
  name: 'g',
  dataset: 'd',
  baseModel: 'b',
  algorithm: 'grid',
  searchSpace: { headLr: { type: 'choice', values: [0.1] } },
});

describe('temporal sweep gateway', () => {
  it('starts the sweep workflow on the control queue under the sweep workflow id', async () => {
    const { client, calls } = fakeClient();
    const gateway = createTemporalSweepGateway(client);
    expect(await gateway.start({ sweepId: 'sw_1', spec })).toEqual({ workflowId: 'sweep-sw_1' });
    expect(calls[0]).toEqual([
      'start',
      'sweepWorkflow',
      { taskQueue: 'retune-control', workflowId: 'sweep-sw_1', args: [{ sweepId: 'sw_1', spec }] },
    ]);
  });

  it('cancels and controls by signal', async () => {
    const { client, calls } = fakeClient();
    const gateway = createTemporalSweepGateway(client);
    await gateway.cancel('sweep-sw_1');
    await gateway.signal('sweep-sw_1', 'extendBudget', 5);
    expect(calls).toEqual([
      ['signal', 'sweep-sw_1', 'cancel'],
      ['signal', 'sweep-sw_1', 'extendBudget', 5],
    ]);
  });

  it('signalling a workflow that already closed is a conflict', async () => {
    const { client } = fakeClient(new WorkflowNotFoundError('gone', 'sweep-sw_1', undefined));
    await expect(createTemporalSweepGateway(client).cancel('sweep-sw_1')).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it('the lazy gateway connects on first use and reports an unreachable server as upstream', async () => {
    const gateway = createLazyTemporalSweepGateway({
      address: '127.0.0.1:1',
      namespace: 'default',
      connectTimeoutMs: 300,
    });
    const err = await gateway.cancel('sweep-sw_1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as Error).message).toMatch(/cannot reach Temporal at 127\.0\.0\.1:1/);
    await expect(gateway.connect()).rejects.toBeInstanceOf(UpstreamError); // retried, not cached
    await gateway.close();
  });
});
