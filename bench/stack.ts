/**
 * The embedded stack a benchmark drives, as `npm start` wires it (the shared test stack: a
 * Temporal dev server, the control and GPU workers in this process with trainers as child
 * processes, SQLite in a temporary folder). `runSweep` launches through the API's launchSweep,
 * as the dashboard and CLI do.
 */
import { createTemporalSweepGateway, launchSweep } from '@retune/api';
import { sweepWorkflowId, type SweepDetail, type SweepResult } from '@retune/core';
import { startTestStack } from '@retune/worker/test-stack';
import { ensureTemporal } from '@retune/tools/temporal-cli';

export interface BenchStack {
  /** Launches a sweep and resolves with its stored detail (trials with values) once it ends. */
  runSweep(spec: unknown): Promise<SweepDetail>;
  stop(): Promise<void>;
}

export async function startBenchStack(opts: {
  slots: number;
  trainerEnv: Record<string, string | undefined>;
}): Promise<BenchStack> {
  const stack = await startTestStack({
    temporalBin: await ensureTemporal(),
    dirPrefix: 'retune-bench-stack-',
    logLevel: 'ERROR',
    workerId: 'bench',
    slots: opts.slots,
    trainerEnv: opts.trainerEnv,
  });
  const { repos, env } = stack;
  const temporal = createTemporalSweepGateway(env.client);
  return {
    async runSweep(spec) {
      const sweep = await launchSweep({ repos, temporal }, spec);
      await (env.client.workflow
        .getHandle(sweepWorkflowId(sweep.id))
        .result() as Promise<SweepResult>);
      const detail = await repos.sweeps.get(sweep.id);
      if (!detail) throw new Error(`sweep ${sweep.id} vanished from the database`);
      return detail;
    },
    stop: () => stack.stop(),
  };
}
