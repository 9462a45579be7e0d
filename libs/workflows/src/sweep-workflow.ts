import {
  ActivityCancellationType,
  CancellationScope,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  budgetExtendable,
  createSweepStudy,
  isBetter,
  objectiveValues,
  plannedTrialCount,
  QUERIES,
  reportEpochs,
  SIGNALS,
  Study,
  TASK_QUEUES,
  trialId,
  type CarriedSweepState,
  type PlannedTrial,
  type SweepProgress,
  type SweepResult,
  type SweepWorkflowInput,
  type TrialOutcome,
  type TrialReport,
} from '@retune/core';
import type { ControlActivities, TrialActivities } from '@retune/activities';
import { endOfSweep, noteOutcome } from './sweep-end';
import { preflightProblem } from './sweep-preflight';

export const cancelSignal = defineSignal(SIGNALS.cancel);
export const pauseSignal = defineSignal(SIGNALS.pause);
export const resumeSignal = defineSignal(SIGNALS.resume);
export const extendBudgetSignal = defineSignal<[number]>(SIGNALS.extendBudget);
export const retryFailedSignal = defineSignal(SIGNALS.retryFailed);
export const trialReportSignal = defineSignal<[TrialReport]>(SIGNALS.trialReport);
export const progressQuery = defineQuery<SweepProgress>(QUERIES.progress);

const DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS = 10_000;

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

type RunState = Omit<CarriedSweepState, 'study'>;

function freshState(budget: number): RunState {
  return {
    budget,
    paused: false,
    retryQueue: [],
    failed: [],
    bestParams: null,
    runs: 0,
    progress: {
      state: 'running',
      total: budget,
      started: 0,
      running: 0,
      completed: 0,
      pruned: 0,
      failed: 0,
      cancelled: 0,
      bestTrialId: null,
      bestValue: null,
    },
  };
}

/**
 * One sweep. Trials are asked for one at a time (deterministically from the spec's seed) and
 * run on the GPU queue with at most maxParallel at once; each outcome is recorded through a
 * control activity. Signals pause, resume, cancel, extend the budget or re-run failed trials.
 * Only trial outcomes enter history (metric points go to the DB), and the workflow continues
 * as new — after draining its running trials — before history grows large.
 */
export async function sweepWorkflow(input: SweepWorkflowInput): Promise<SweepResult> {
  const { sweepId, spec } = input;
  const gpu = proxyActivities<TrialActivities>({
    taskQueue: TASK_QUEUES.gpu,
    startToCloseTimeout: `${spec.trialTimeoutSeconds} seconds`,
    // Sweeps started before these spec fields existed carry no value: keep their old defaults.
    heartbeatTimeout: `${spec.heartbeatTimeoutSeconds ?? 30} seconds`,
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    // A worker that dies mid-trial is retried elsewhere; the retry resumes from its checkpoint.
    retry: { initialInterval: '1 second', maximumAttempts: (spec.maxRetries ?? 2) + 1 },
  });

  let study: Study;
  // Sweeps recorded before multi-objective support have no objectives.
  const objectives = spec.objectives ?? [];
  const state: RunState = input.carried ?? freshState(0);
  const progress = state.progress;
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
    const { bestTrialId, bestValue } = progress;
    const front =
      objectives.length > 0 && study
        ? { paretoTrialIds: study.bestTrials.map((t) => trialId(sweepId, t.number)) }
        : {};
    return {
      sweepId,
      status,
      bestTrialId,
      bestValue,
      bestParams: state.bestParams,
      ...front,
      progress,
      ...(error ? { error } : {}),
    };
  };

  try {
    // A carried study rebuilds its sampler and pruner from the configs stored in its JSON.
    study = input.carried ? Study.fromJSON(input.carried.study) : createSweepStudy(spec);
    if (!input.carried) state.budget = progress.total = plannedTrialCount(spec);
  } catch (err) {
    return finish('failed', errorMessage(err));
  }
  if (!input.carried) {
    await control.startSweep(sweepId);
    const problem = await preflightProblem(spec);
    if (problem) return finish('failed', problem);
    if (spec.warmStart) {
      // Only when asked: sweeps without warmStart keep the history they always had.
      const warm = await control.loadWarmStart(sweepId, spec);
      const kept = study.addPriors(warm.trials);
      log.info('warm start', { sweepId, trials: kept, sourceSweeps: warm.sourceSweeps });
    }
  }
  state.runs++;

  const running = new Map<number, CancellationScope>();
  const recording = new Set<Promise<void>>();
  let cancelRequested = false;
  let sweepRowDirty = false;

  setHandler(cancelSignal, () => {
    cancelRequested = true;
    progress.state = 'cancelling';
    for (const scope of running.values()) scope.cancel();
  });
  setHandler(pauseSignal, () => {
    if (cancelRequested || state.paused) return;
    state.paused = true;
    progress.state = 'paused';
    sweepRowDirty = true;
  });
  setHandler(resumeSignal, () => {
    if (cancelRequested || !state.paused) return;
    state.paused = false;
    progress.state = 'running';
    sweepRowDirty = true;
  });
  setHandler(extendBudgetSignal, (extra: number) => {
    if (!budgetExtendable(spec)) {
      log.warn('extendBudget ignored: a grid sweep runs exactly its grid', { sweepId });
      return;
    }
    if (!Number.isInteger(extra) || extra < 1) {
      log.warn('extendBudget ignored: the extra trial count must be a positive integer', { extra });
      return;
    }
    state.budget += extra;
    progress.total = state.budget;
    sweepRowDirty = true;
  });
  setHandler(retryFailedSignal, () => {
    if (cancelRequested || state.failed.length === 0) return;
    progress.failed -= state.failed.length;
    state.retryQueue.push(...state.failed);
    for (const trial of state.failed) study.retry(trial.number);
    state.failed = [];
  });

  const record = async (trial: PlannedTrial, outcome: TrialOutcome) => {
    progress[outcome.status]++;
    if (outcome.status === 'failed') state.failed.push(trial);
    noteOutcome(state, trial.trialId, outcome);
    const values =
      outcome.status === 'completed' && outcome.objective !== null
        ? objectiveValues(outcome.objective, outcome.values, objectives)
        : null;
    if (values) {
      study.tell(trial.number, { state: 'completed', values });
    } else {
      // The study knows no "cancelled": like a failure, it gives the sampler nothing to learn.
      study.tell(trial.number, { state: outcome.status === 'pruned' ? 'pruned' : 'failed' });
    }
    if (outcome.status === 'completed' && outcome.objective !== null) {
      if (isBetter(outcome.objective, progress.bestValue, spec.metric.goal)) {
        progress.bestValue = outcome.objective;
        progress.bestTrialId = trial.trialId;
        state.bestParams = trial.params;
      }
    }
    await CancellationScope.nonCancellable(() =>
      control.recordTrialOutcome(trial.trialId, outcome),
    );
  };

  // Sweeps started before early stopping existed have no earlyStopping in their spec.
  const reportAt = reportEpochs(spec.earlyStopping ?? { type: 'nop' });
  const pruned = new Set<number>();
  setHandler(trialReportSignal, (report: TrialReport) => {
    const scope = running.get(report.number);
    // Late or duplicate reports (a retried attempt, an already-pruned trial) change nothing.
    if (!scope || pruned.has(report.number) || !Number.isFinite(report.epoch)) return;
    study.report(report.number, report.epoch + 1, report.value);
    if (study.shouldPrune(report.number)) {
      pruned.add(report.number);
      scope.cancel();
    }
  });

  const runTrial = async (trial: PlannedTrial, retry: boolean): Promise<TrialOutcome> => {
    // The trial row must exist before an outcome is recorded, even when cancelled meanwhile.
    await CancellationScope.nonCancellable(() =>
      retry ? control.reopenTrial(trial.trialId) : control.registerTrial(sweepId, trial),
    );
    try {
      return await gpu.runTrial({
        sweepId,
        trialId: trial.trialId,
        number: trial.number,
        params: trial.params,
        trainer: spec.trainer,
        dataset: spec.dataset,
        baseModel: spec.baseModel,
        metric: spec.metric,
        ...(objectives.length > 0 ? { objectives } : {}),
        seed: spec.seed,
        ...(reportAt ? { reportEpochs: reportAt } : {}),
      });
    } catch (err) {
      if (pruned.has(trial.number)) {
        // Stopped by the early-stopping rule: its objective is the last value it reported.
        const reports = study.trial(trial.number)!.intermediate;
        const last = Math.max(...Object.keys(reports).map(Number));
        return { status: 'pruned', objective: reports[last] ?? null, values: {} };
      }
      return isCancellation(err)
        ? { status: 'cancelled', objective: null, values: {} }
        : { status: 'failed', objective: null, values: {}, error: errorMessage(err) };
    }
  };

  const launch = (trial: PlannedTrial, retry: boolean) => {
    const scope = new CancellationScope();
    running.set(trial.number, scope);
    progress.started++;
    progress.running++;
    const done = scope
      .run(() => runTrial(trial, retry))
      .then(async (outcome) => {
        running.delete(trial.number);
        progress.running--;
        await record(trial, outcome);
      })
      .finally(() => recording.delete(done));
    recording.add(done);
  };

  const nextTrial = (): { trial: PlannedTrial; retry: boolean } | null => {
    const retried = state.retryQueue.shift();
    if (retried) return { trial: retried, retry: true };
    if (study.size >= state.budget) return null;
    const { number, params } = study.ask();
    return {
      trial: { trialId: trialId(sweepId, number), number, params: { ...spec.fixed, ...params } },
      retry: false,
    };
  };

  const hasWork = () => state.retryQueue.length > 0 || study.size < state.budget;
  const historyIsLong = () =>
    workflowInfo().continueAsNewSuggested ||
    workflowInfo().historyLength >=
      (input.continueAsNewAfterEvents ?? DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS);
  const canLaunch = () =>
    !state.paused && !historyIsLong() && running.size < spec.maxParallel && hasWork();

  try {
    for (;;) {
      await condition(
        () =>
          cancelRequested ||
          sweepRowDirty ||
          canLaunch() ||
          (running.size === 0 && (!hasWork() || (historyIsLong() && !state.paused))),
      );
      if (cancelRequested) break;
      if (sweepRowDirty) {
        sweepRowDirty = false;
        await control.updateSweep(sweepId, {
          status: state.paused ? 'paused' : 'running',
          plannedTrials: state.budget,
        });
        continue;
      }
      if (canLaunch()) {
        const next = nextTrial()!;
        launch(next.trial, next.retry);
        continue;
      }
      if (running.size === 0 && !hasWork()) break;
      // History is long and every trial has drained: hand the state to a fresh run.
      await Promise.all(recording);
      progress.state = state.paused ? 'paused' : 'running';
      return await continueAsNew<typeof sweepWorkflow>({
        ...input,
        carried: { ...state, study: study.toJSON() },
      });
    }
  } catch (err) {
    // Cancelling the workflow itself (not just the signal) lands here.
    if (!isCancellation(err)) throw err;
    cancelRequested = true;
  }
  await CancellationScope.nonCancellable(() => Promise.all(recording));
  const end = endOfSweep(state, cancelRequested);
  return finish(end.status, end.error);
}
