import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import {
  SIGNALS,
  SWEEP_WORKFLOW_TYPE,
  sweepWorkflowId,
  TASK_QUEUES,
  type SweepWorkflowInput,
} from '@retune/core';
import { ConflictError, UpstreamError } from '../domain/errors';

export type SweepSignal = Exclude<keyof typeof SIGNALS, 'cancel'>;

/** What the domain needs from Temporal; tests pass a fake. */
export interface SweepGateway {
  start(input: SweepWorkflowInput): Promise<{ workflowId: string }>;
  cancel(workflowId: string): Promise<void>;
  signal(workflowId: string, signal: SweepSignal, ...args: number[]): Promise<void>;
}

/** Signalling a workflow that has already closed: the DB has not caught up with it yet. */
async function signalOpen(client: Client, workflowId: string, name: string, args: number[]) {
  try {
    await client.workflow.getHandle(workflowId).signal(name, ...args);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      throw new ConflictError(`workflow ${workflowId} has already finished`);
    }
    throw err;
  }
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
    cancel: (workflowId) => signalOpen(client, workflowId, SIGNALS.cancel, []),
    signal: (workflowId, signal, ...args) => signalOpen(client, workflowId, SIGNALS[signal], args),
  };
}

export interface TemporalOptions {
  address: string;
  namespace: string;
  /** How long to keep trying to reach the server (default 10 s). */
  connectTimeoutMs?: number;
}

export async function connectTemporal(opts: TemporalOptions): Promise<Client> {
  const connection = await Connection.connect({
    address: opts.address,
    ...(opts.connectTimeoutMs === undefined ? {} : { connectTimeout: opts.connectTimeoutMs }),
  });
  return new Client({ connection, namespace: opts.namespace });
}

export interface LazySweepGateway extends SweepGateway {
  /** Connects now instead of on first use; a failure is an UpstreamError. */
  connect(): Promise<void>;
  /** Closes the connection if one was made. */
  close(): Promise<void>;
}

/**
 * A gateway that connects on first use, so reads and validation never wait on Temporal, and
 * that turns an unreachable server into an UpstreamError (SERVICE_UNAVAILABLE at the edge).
 * A failed connection is retried on the next use.
 */
export function createLazyTemporalSweepGateway(opts: TemporalOptions): LazySweepGateway {
  let pending: Promise<{ client: Client; gateway: SweepGateway }> | undefined;
  const connected = () =>
    (pending ??= connectTemporal(opts).then(
      (client) => ({ client, gateway: createTemporalSweepGateway(client) }),
      (err: unknown) => {
        pending = undefined;
        throw new UpstreamError(
          `cannot reach Temporal at ${opts.address} (${err instanceof Error ? err.message : String(err)}); ` +
            'is the stack running (`npm start`) and TEMPORAL_ADDRESS right?',
        );
      },
    ));
  return {
    start: async (input) => (await connected()).gateway.start(input),
    cancel: async (id) => (await connected()).gateway.cancel(id),
    signal: async (id, signal, ...args) => (await connected()).gateway.signal(id, signal, ...args),
    async connect() {
      await connected();
    },
    async close() {
      const current = pending;
      pending = undefined;
      const c = await current?.catch(() => undefined);
      await c?.client.connection.close();
    },
  };
}
