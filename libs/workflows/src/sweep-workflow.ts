import {
  ActivityCancellationType,
  CancellationScope,
  defineQuery,
  defineSignal,
  isCancellation,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import {
  isBetter,
  planTrials,
  QUERIES,
  SIGNALS,
  TASK_QUEUES,
  trialId,
  type PlannedTrial,
  type SweepProgress,
  type SweepResult,
  type SweepWorkflowInput,
  type TrialOutcome,
} from '@retune/core';
import type { ControlActivities, TrialActivities } from '@retune/activities';

export const cancelSignal = defineSignal(SIGNALS.cancel);
export const progressQuery = defineQuery<SweepProgress>(QUERIES.progress);

const control = proxyActivities<ControlActivities>({
  taskQueue: TASK_QUEUES.control,
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
});

function errorMessage(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
  }
  return String(err);
}

/**
 * One sweep: plan the trials (deterministic from the spec's seed), run them on the GPU queue
 * with at most maxParallel at once, record each outcome through control activities, and end
 * with the best trial. Only trial outcomes enter history; metric points go to the DB.
 */
export async function sweepWorkflow(input: SweepWorkflowInput): Promise<SweepResult> {
  const { sweepId, spec } = input;
  const gpu = proxyActivities<TrialActivities>({
    taskQueue: TASK_QUEUES.gpu,
    startToCloseTimeout: `${spec.trialTimeoutSeconds} seconds`,
    heartbeatTimeout: '30 seconds',
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: { initialInterval: '2 seconds', maximumAttempts: 3 },
  });

  const progress: SweepProgress = {
    state: 'running',
    total: 0,
    started: 0,
    running: 0,
    completed: 0,
    failed: 0,
    cancelled: 0,
    bestTrialId: null,
    bestValue: null,
  };
  let bestParams: PlannedTrial['params'] | null = null;
  setHandler(progressQuery, () => progress);

  const finish = async (status: SweepResult['status'], error?: string): Promise<SweepResult> => {
    progress.state = status;
    await CancellationScope.nonCancellable(() =>
      control.finishSweep(sweepId, {
        status,
        bestTrialId: progress.bestTrialId,
        bestValue: progress.bestValue,
        ...(error ? { error } : {}),
      }),
    );
    return {
      sweepId,
      status,
      bestTrialId: progress.bestTrialId,
      bestValue: progress.bestValue,
      bestParams,
      progress,
    };
  };

  let planned: PlannedTrial[];
  try {
    planned = planTrials(spec).map((params, number) => ({
      trialId: trialId(sweepId, number),
      number,
      params,
    }));
  } catch (err) {
    return finish('failed', errorMessage(err));
  }
  progress.total = planned.length;
  await control.startSweep(sweepId, planned);

  const trials = new CancellationScope();
  setHandler(cancelSignal, () => {
    if (progress.state === 'running') progress.state = 'cancelling';
    trials.cancel();
  });

  const record = async (trial: PlannedTrial, outcome: TrialOutcome) => {
    progress[outcome.status]++;
    if (outcome.status === 'completed' && outcome.objective !== null) {
      if (isBetter(outcome.objective, progress.bestValue, spec.metric.goal)) {
        progress.bestValue = outcome.objective;
        progress.bestTrialId = trial.trialId;
        bestParams = trial.params;
      }
    }
    await CancellationScope.nonCancellable(() =>
      control.recordTrialOutcome(trial.trialId, outcome),
    );
  };

  const runOne = async (trial: PlannedTrial) => {
    progress.started++;
    progress.running++;
    let outcome: TrialOutcome;
    try {
      outcome = await gpu.runTrial({
        sweepId,
        trialId: trial.trialId,
        number: trial.number,
        params: trial.params,
        trainer: spec.trainer,
        dataset: spec.dataset,
        baseModel: spec.baseModel,
        metric: spec.metric,
        seed: spec.seed,
      });
    } catch (err) {
      outcome = isCancellation(err)
        ? { status: 'cancelled', objective: null, values: {} }
        : { status: 'failed', objective: null, values: {}, error: errorMessage(err) };
    } finally {
      progress.running--;
    }
    await record(trial, outcome);
  };

  let next = 0;
  const lane = async () => {
    while (next < planned.length && !trials.consideredCancelled) {
      const trial = planned[next++]!;
      await runOne(trial);
    }
  };
  const lanes = Math.min(spec.maxParallel, planned.length);

  try {
    await trials.run(() => Promise.all(Array.from({ length: lanes }, lane)));
  } catch (err) {
    if (!isCancellation(err)) throw err;
  }
  // A cancel of the workflow itself (not just the signal) also lands here.
  const cancelled = trials.consideredCancelled || CancellationScope.current().consideredCancelled;
  return finish(cancelled ? 'cancelled' : 'completed');
}
