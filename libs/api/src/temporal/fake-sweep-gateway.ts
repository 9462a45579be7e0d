import type { SweepWorkflowInput } from '@retune/core';
import type { SweepGateway, SweepSignal } from './sweep-gateway';

/**
 * A SweepGateway without Temporal, for tests and benchmarks: it records what it was asked to
 * start, cancel and signal, or, built with `refuse`, rejects every call with that message.
 */
export class FakeSweepGateway implements SweepGateway {
  started: SweepWorkflowInput[] = [];
  cancelled: string[] = [];
  signals: { workflowId: string; signal: SweepSignal; args: number[] }[] = [];
  /** start() rejects with this (a Temporal outage, say) while it is set. */
  failWith: Error | null = null;

  constructor(private readonly opts: { refuse?: string } = {}) {}

  private refuse(): void {
    if (this.opts.refuse) throw new Error(this.opts.refuse);
  }

  async start(input: SweepWorkflowInput) {
    this.refuse();
    if (this.failWith) throw this.failWith;
    this.started.push(input);
    return { workflowId: `sweep-${input.sweepId}` };
  }

  async cancel(workflowId: string) {
    this.refuse();
    this.cancelled.push(workflowId);
  }

  async signal(workflowId: string, signal: SweepSignal, ...args: number[]) {
    this.refuse();
    this.signals.push({ workflowId, signal, args });
  }
}
