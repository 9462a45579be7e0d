import { describe, expect, it } from 'vitest';
import type { SweepWorkflowInput } from '@retune/core';
import { FakeSweepGateway } from './fake-sweep-gateway';

const input = { sweepId: 'sw_1' } as SweepWorkflowInput;

describe('FakeSweepGateway', () => {
  it('records starts, cancels and signals', async () => {
    const g = new FakeSweepGateway();
    expect(await g.start(input)).toEqual({ workflowId: 'sweep-sw_1' });
    await g.cancel('sweep-sw_1');
    await g.signal('sweep-sw_1', 'extendBudget', 5);
    expect(g.started).toEqual([input]);
    expect(g.cancelled).toEqual(['sweep-sw_1']);
    expect(g.signals).toEqual([{ workflowId: 'sweep-sw_1', signal: 'extendBudget', args: [5] }]);
  });

  it('refuses every call when built to, and fails starts with failWith', async () => {
    const refusing = new FakeSweepGateway({ refuse: 'no Temporal in this test' });
    await expect(refusing.start(input)).rejects.toThrow('no Temporal in this test');
    await expect(refusing.signal('w', 'pause')).rejects.toThrow('no Temporal in this test');
    const g = new FakeSweepGateway();
    g.failWith = new Error('Temporal is down');
    await expect(g.start(input)).rejects.toThrow('Temporal is down');
    expect(g.started).toEqual([]);
  });
});
