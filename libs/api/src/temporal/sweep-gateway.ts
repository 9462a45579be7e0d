import { Client, Connection } from '@temporalio/client';
import {
  SIGNALS,
  SWEEP_WORKFLOW_TYPE,
  sweepWorkflowId,
  TASK_QUEUES,
  type SweepWorkflowInput,
} from '@retune/core';

export type SweepSignal = Exclude<keyof typeof SIGNALS, 'cancel'>;

/** What the domain needs from Temporal; tests pass a fake. */
export interface SweepGateway {
  start(input: SweepWorkflowInput): Promise<{ workflowId: string }>;
  cancel(workflowId: string): Promise<void>;
  signal(workflowId: string, signal: SweepSignal, ...args: number[]): Promise<void>;
}

export function createTemporalSweepGateway(client: Client): SweepGateway {
  return {
    async start(input) {
      const handle = await client.workflow.start(SWEEP_WORKFLOW_TYPE, {
        taskQueue: TASK_QUEUES.control,
        workflowId: sweepWorkflowId(input.sweepId),
        args: [input],
      });
      return { workflowId: handle.workflowId };
    },
    async cancel(workflowId) {
      await client.workflow.getHandle(workflowId).signal(SIGNALS.cancel);
    },
    async signal(workflowId, signal, ...args) {
      await client.workflow.getHandle(workflowId).signal(SIGNALS[signal], ...args);
    },
  };
}

export async function connectTemporal(opts: {
  address: string;
  namespace: string;
}): Promise<Client> {
  const connection = await Connection.connect({ address: opts.address });
  return new Client({ connection, namespace: opts.namespace });
}
