import { join } from 'node:path';
import { createTrainerPool, type TrainerPool } from '@retune/activities';
import type { Worker } from '@temporalio/worker';

export interface TrainerReuseOptions {
  /** Trials per process before it is replaced; 0 runs every trainer as a process per trial. */
  maxTrials: number;
  maxRssMb?: number;
}

/**
 * The GPU worker's pool of reusable trainer processes, one per slot, or none when reuse is off.
 * Their last argument is `<workDir>/pool/<workerId>/slot-<i>`, so the process table shows whose
 * they are (the orphan checks look for it). They stop when the worker's process ends: their
 * stdin closes, even after a kill -9.
 */
export function createWorkerTrainerPool(opts: {
  workDir: string;
  workerId: string;
  trainerReuse?: TrainerReuseOptions;
}): TrainerPool | undefined {
  const reuse = opts.trainerReuse ?? { maxTrials: 50 };
  if (reuse.maxTrials < 1) return undefined;
  return createTrainerPool({
    maxTrials: reuse.maxTrials,
    ...(reuse.maxRssMb !== undefined ? { maxRssMb: reuse.maxRssMb } : {}),
    markerDir: join(opts.workDir, 'pool', opts.workerId),
  });
}

/** A GPU worker that shuts down (not only one that dies) stops its pooled processes too. */
export function stopPoolWithWorker(worker: Pick<Worker, 'run'>, pool: TrainerPool): void {
  const run = worker.run.bind(worker);
  worker.run = async () => {
    try {
      return await run();
    } finally {
      await pool.close();
    }
  };
}
