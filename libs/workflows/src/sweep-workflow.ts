import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import {
  createSweepStudy,
  initialGpuBudget,
  plannedTrialCount,
  reportEpochs,
  Study,
  TASK_QUEUES,
  TRIAL_DEFERRED_ERROR,
  trialId,
  withStoredSpecDefaults,
  type PlannedTrial,
  type SweepResult,
  type SweepSpec,
  type SweepWorkflowInput,
  type TrialOutcome,
} from '@retune/core';
import type { ControlActivities, RunTrialInput, TrialActivities } from '@retune/activities';
import { endOfSweep } from './sweep-end';
import { preflightProblem } from './sweep-preflight';
import { REGISTER_AHEAD_PATCH, TrialsAhead } from './sweep-ahead';
import { RECORD_BATCHED_PATCH, TrialWrites } from './sweep-writes';
import { PIPELINED_SLOTS_PATCH, SlotLanes } from './sweep-lanes';
import {
  freshState,
  LONG_RUNS_PATCH,
  LONGER_RUNS_EVENTS,
  LONGER_RUNS_PATCH,
  SweepRun,
  type RunState,
} from './sweep-run';
import { OptunaProposals } from './sweep-optuna';
import { progressQuery } from './sweep-signals';
import { runPbt } from './sweep-pbt';

export {
  cancelSignal,
  extendBudgetSignal,
  extendGpuBudgetSignal,
  pauseSignal,
  progressQuery,
  resumeSignal,
  retryFailedSignal,
  trialReportSignal,
} from './sweep-signals';

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
 * One sweep. Trials are asked for one at a time (deterministically from the spec's seed) and
 * run on the GPU queue with at most maxParallel at once; each outcome is recorded through a
 * control activity. Signals pause, resume, cancel, extend the budget or re-run failed trials.
 * Only trial outcomes enter history (metric points go to the DB), and the workflow continues
 * as new — after draining its running trials — before history grows large.
 */
export async function sweepWorkflow(input: SweepWorkflowInput): Promise<SweepResult> {
  const { sweepId } = input;
  // The one place a stored spec enters: older versions stored fewer fields.
  const spec = withStoredSpecDefaults(input.spec);
  const state: RunState = input.carried ?? freshState(0);
  const progress = state.progress;
  setHandler(progressQuery, () => progress);

  let study: Study;
  try {
    // A carried study rebuilds its sampler and pruner from the configs stored in its JSON.
    study = input.carried ? Study.fromJSON(input.carried.study) : createSweepStudy(spec);
    if (!input.carried) {
      state.budget = progress.total = plannedTrialCount(spec);
      const gpu = initialGpuBudget(spec);
      if (gpu) state.gpu = gpu;
    }
  } catch (err) {
    return finish(sweepId, spec, state, undefined, 'failed', errorMessage(err));
  }
  if (!input.carried) {
    await control.startSweep(sweepId);
    const problem = await preflightProblem(spec);
    if (problem) return finish(sweepId, spec, state, study, 'failed', problem);
    if (spec.warmStart) {
      // Only when asked: sweeps without warmStart keep the history they always had.
      const warm = await control.loadWarmStart(sweepId, spec);
      const kept = study.addPriors(warm.trials);
      log.info('warm start', { sweepId, trials: kept, sourceSweeps: warm.sourceSweeps });
    }
  }
  state.runs++;

  const eventBound =
    input.continueAsNewAfterEvents ?? (patched(LONGER_RUNS_PATCH) ? LONGER_RUNS_EVENTS : undefined);
  const run = new SweepRun(sweepId, spec, state, study, eventBound);
  run.longRuns = patched(LONG_RUNS_PATCH);
  run.syncGpuProgress();
  run.installSignalHandlers();
  const launch = trialLauncher(sweepId, spec, run);
  if (patched(REGISTER_AHEAD_PATCH)) {
    if (patched(RECORD_BATCHED_PATCH)) {
      const writes = new TrialWrites((batch) => control.recordTrials(sweepId, batch));
      run.writes = writes;
      run.ahead = new TrialsAhead(run, (trial) => writes.registerTrial(trial));
      // pbt keeps launching a whole interval's members at once, on the old path.
      if (spec.algorithm !== 'pbt' && patched(PIPELINED_SLOTS_PATCH)) {
        run.lanes = new SlotLanes(spec.maxParallel);
      }
    } else {
      run.ahead = new TrialsAhead(run, (trial) => control.registerTrial(sweepId, trial));
    }
  }
  // gp / cmaes only: every other sweep gets null here and the history it always had.
  const proposals = OptunaProposals.of(run);
  let samplerProblem: string | undefined;

  try {
    if (
      spec.algorithm === 'pbt' &&
      (await runPbt(run, launch, (u) => control.updateSweep(sweepId, u)))
    ) {
      await Promise.all(run.recording);
      return await continueAsNew<typeof sweepWorkflow>({
        ...input,
        carried: { ...state, study: study.toJSON() },
      });
    }
    if (run.writes && spec.algorithm !== 'pbt') run.writes.deferred = true;
    while (spec.algorithm !== 'pbt') {
      await condition(() => run.needsAttention());
      if (run.cancelRequested) break;
      if (run.sweepRowDirty) {
        run.sweepRowDirty = false;
        await control.updateSweep(sweepId, {
          status: state.paused ? 'paused' : 'running',
          plannedTrials: state.budget,
          ...(state.gpu ? { gpuHoursBudget: state.gpu.budgetSeconds / 3600 } : {}),
        });
        continue;
      }
      if (proposals?.wanted()) {
        samplerProblem = await proposals.fetch();
        if (samplerProblem) break;
        continue;
      }
      if (run.canLaunch()) {
        const ready = run.ahead?.take();
        const next = ready ? { trial: ready, retry: false } : run.nextTrial()!;
        launch(next.trial, next.retry, ready !== undefined);
        continue;
      }
      if (run.ahead?.wants()) {
        run.ahead.fill();
        continue;
      }
      // Last: what this workflow task launched, registered and finished, in one activity.
      if (run.writes?.queued) {
        run.writes.flush();
        continue;
      }
      if (run.running.size === 0 && !run.hasWork()) break;
      // History is long and every trial has drained: hand the state to a fresh run.
      await Promise.all(run.recording);
      progress.state = state.paused ? 'paused' : 'running';
      return await continueAsNew<typeof sweepWorkflow>({
        ...input,
        carried: { ...state, study: study.toJSON() },
      });
    }
  } catch (err) {
    // Cancelling the workflow itself (not just the signal) lands here.
    if (!isCancellation(err)) throw err;
    run.cancelRequested = true;
  }
  run.writes?.stopDeferring();
  if (samplerProblem) for (const scope of run.running.values()) scope.cancel();
  await CancellationScope.nonCancellable(() => Promise.all(run.recording));
  if (samplerProblem) return finish(sweepId, spec, state, study, 'failed', samplerProblem);
  const end = endOfSweep(state, run.cancelRequested);
  return finish(sweepId, spec, state, study, end.status, end.error);
}

/** Records the sweep's end and builds its result (the Pareto front of a multi-objective one). */
async function finish(
  sweepId: string,
  spec: SweepSpec,
  state: RunState,
  study: Study | undefined,
  status: SweepResult['status'],
  error?: string,
): Promise<SweepResult> {
  const progress = state.progress;
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
    spec.objectives.length > 0 && study
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
}

/**
 * Pipelined slots: a waiting runTrial that gave its place on a stuck GPU worker back
 * (TRIAL_DEFERRED_ERROR, docs/pipelined-slots.md) is scheduled again; nothing else changes.
 */
async function runDeferrable(schedule: () => Promise<TrialOutcome>): Promise<TrialOutcome> {
  for (;;) {
    try {
      return await schedule();
    } catch (err) {
      const cause = err instanceof ActivityFailure ? err.cause : undefined;
      if (!(cause instanceof ApplicationFailure) || cause.type !== TRIAL_DEFERRED_ERROR) throw err;
    }
  }
}

/**
 * Starts trials in their own cancellation scope on the GPU queue and records each outcome
 * through a control activity once it is known.
 */
function trialLauncher(
  sweepId: string,
  spec: SweepSpec,
  run: SweepRun,
): (trial: PlannedTrial, retry: boolean, registered?: boolean) => void {
  const trialProxy = (startToCloseSeconds: number) =>
    proxyActivities<TrialActivities>({
      taskQueue: TASK_QUEUES.gpu,
      startToCloseTimeout: `${startToCloseSeconds} seconds`,
      heartbeatTimeout: `${spec.heartbeatTimeoutSeconds} seconds`,
      cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
      // A worker that dies mid-trial is retried elsewhere; the retry resumes from its checkpoint.
      retry: { initialInterval: '1 second', maximumAttempts: spec.maxRetries + 1 },
    });
  const gpu = trialProxy(spec.trialTimeoutSeconds);
  // Pipelined slots: a trial may wait for its predecessor (itself retried, at worst) before it
  // starts; the activity enforces trialTimeoutSeconds from its real start.
  const pipelined = trialProxy((spec.maxRetries + 2) * spec.trialTimeoutSeconds + 60);
  const { objectives, constraints } = spec;
  const reportAt = reportEpochs(spec.earlyStopping);

  const runTrial = async (
    trial: PlannedTrial,
    retry: boolean,
    registered: boolean,
    after: string | undefined,
  ): Promise<TrialOutcome> => {
    // The trial row must exist before an outcome is recorded, even when cancelled meanwhile.
    if (!registered) {
      await CancellationScope.nonCancellable(() =>
        retry ? control.reopenTrial(trial.trialId) : control.registerTrial(sweepId, trial),
      );
    }
    const lanes = run.lanes
      ? { trialTimeoutSeconds: spec.trialTimeoutSeconds, ...(after ? { after } : {}) }
      : {};
    try {
      const input: RunTrialInput = {
        sweepId,
        trialId: trial.trialId,
        number: trial.number,
        params: trial.params,
        trainer: spec.trainer,
        dataset: spec.dataset,
        baseModel: spec.baseModel,
        metric: spec.metric,
        ...(objectives.length > 0 ? { objectives } : {}),
        ...(constraints.length > 0 ? { constraints } : {}),
        seed: spec.seed,
        ...(reportAt ? { reportEpochs: reportAt } : {}),
        ...(trial.pbt
          ? { pbt: { resumeFrom: trial.pbt.resumeFrom, seedTrial: trial.pbt.seedTrial } }
          : {}),
        ...lanes,
      };
      return await runDeferrable(() => (run.lanes ? pipelined : gpu).runTrial(input));
    } catch (err) {
      // Stopped by the early-stopping rule: its objective is the last value it reported.
      if (run.pruned.has(trial.number)) return run.prunedOutcome(trial.number);
      return isCancellation(err)
        ? { status: 'cancelled', objective: null, values: {} }
        : { status: 'failed', objective: null, values: {}, error: errorMessage(err) };
    }
  };

  return (trial, retry, registered = false) => {
    const scope = new CancellationScope();
    // The workflow's clock (deterministic) times trials whose activity reports no GPU time:
    // pruned, cancelled or lost ones, and those of workers older than the report.
    const launchedAt = Date.now();
    run.running.set(trial.number, scope);
    run.progress.started++;
    const after = run.lanes?.place(trial);
    // With lanes, running counts the trials training, not those waiting behind them.
    run.progress.running = run.lanes?.training ?? run.progress.running + 1;
    const done = scope
      .run(() => runTrial(trial, retry, registered, after))
      .then(async (result) => {
        run.running.delete(trial.number);
        // Cancelled while waiting behind another, it spent no GPU time.
        const since = run.lanes ? (run.lanes.since(trial.number) ?? Date.now()) : launchedAt;
        run.lanes?.remove(trial.number);
        run.progress.running = run.lanes?.training ?? run.progress.running - 1;
        const gpuSeconds = result.gpuSeconds ?? Math.max(0, (Date.now() - since) / 1000);
        const outcome: TrialOutcome = { ...result, gpuSeconds };
        if (run.tell(trial, outcome)) outcome.infeasible = true;
        await CancellationScope.nonCancellable(() =>
          run.writes
            ? run.writes.recordOutcome(trial.trialId, outcome)
            : control.recordTrialOutcome(trial.trialId, outcome),
        );
      })
      .finally(() => run.recording.delete(done));
    run.recording.add(done);
  };
}
