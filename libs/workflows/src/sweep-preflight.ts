import { patched, proxyActivities } from '@temporalio/workflow';
import { multiTaskPreflight, preflightError, TASK_QUEUES, type SweepSpec } from '@retune/core';
import type { PreflightActivities } from '@retune/activities';

/** Sweeps started before the preflight existed replay without it. */
export const PREFLIGHT_PATCH = 'sweep-preflight-v1';

// On the GPU queue: the dataset and base model paths are the GPU workers' paths.
const preflight = proxyActivities<PreflightActivities>({
  taskQueue: TASK_QUEUES.gpu,
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 },
});

/**
 * Checks the sweep's dataset and base model once, before its first trial: the reason the sweep
 * fails (one clear error instead of N identical failed trials), or undefined.
 */
export async function preflightProblem(spec: SweepSpec): Promise<string | undefined> {
  if (!patched(PREFLIGHT_PATCH)) return undefined;
  const { trainer, dataset, baseModel } = spec;
  // Single-task sweeps send the same input as before (no multiTask key).
  const multiTask = multiTaskPreflight(spec);
  return preflightError(
    await preflight.preflightSweep({
      trainer,
      dataset,
      baseModel,
      ...(multiTask && { multiTask }),
    }),
  );
}
