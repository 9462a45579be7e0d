import { CancellationScope, log, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  budgetExtendable,
  constraintViolation,
  extendGpuBudget,
  gpuBudgetAffords,
  isBetter,
  objectiveValues,
  spendGpuSeconds,
  trialId,
  type CarriedSweepState,
  type PlannedTrial,
  type SweepSpec,
  type Study,
  type TrialOutcome,
  type TrialReport,
} from '@retune/core';
import {
  cancelSignal,
  extendBudgetSignal,
  extendGpuBudgetSignal,
  pauseSignal,
  resumeSignal,
  retryFailedSignal,
  trialReportSignal,
} from './sweep-signals';
import { noteOutcome } from './sweep-end';
import type { TrialsAhead } from './sweep-ahead';
import type { TrialWrites } from './sweep-writes';
import type { SlotLanes } from './sweep-lanes';

export type RunState = Omit<CarriedSweepState, 'study'>;

const DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS = 10_000;
/**
 * Patch id: sweeps started before it also continue as new when the server suggests it (at about
 * 4K events), which drains every slot ~2.5 times as often as the event bound above does.
 */
export const LONG_RUNS_PATCH = 'continue-as-new-at-event-bound';
/**
 * Patch id: sweeps started before it continue as new at 10,000 events (about 900 trials). Each
 * continue-as-new drains every slot (about half a trial's time idle per slot) and starts a run;
 * at 20,000 events that happens half as often. Temporal's own limit is 51,200 events (it warns
 * from 10,240); replaying a 20,000-event history after a worker restart takes a second or two.
 */
export const LONGER_RUNS_PATCH = 'continue-as-new-at-20k-events';
export const LONGER_RUNS_EVENTS = 20_000;
/** With LONG_RUNS_PATCH, a history this large (bytes) still ends the run early. */
const CONTINUE_AS_NEW_AFTER_BYTES = 4 * 1024 * 1024;

export function freshState(budget: number): RunState {
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
 * The in-memory state of one run of a sweep workflow (carried across continue-as-new) and the
 * signal handlers that change it. It decides nothing that needs an activity: the workflow body
 * reads it to know what to do next.
 */
export class SweepRun {
  /** Cancellation scopes of the trials running now, by trial number. */
  readonly running = new Map<number, CancellationScope>();
  /** Trials whose outcome is still being recorded. */
  readonly recording = new Set<Promise<void>>();
  /** Trials stopped by the early-stopping rule. */
  readonly pruned = new Set<number>();
  cancelRequested = false;
  /** The sweep row must be updated (paused, resumed or budget extended). */
  sweepRowDirty = false;
  /** algorithm: pbt — outcomes of the current interval's trials, by trial number. */
  readonly pbtOutcomes = new Map<number, TrialOutcome>();
  /** Set when trials are registered ahead (patch register-trials-ahead; see sweep-ahead.ts). */
  ahead: TrialsAhead | null = null;
  /** Set when trial rows are written in batches (patch record-trials-batched; sweep-writes.ts). */
  writes: TrialWrites | null = null;
  /** Patch continue-as-new-at-event-bound: continue as new at the event bound, not at ~4K. */
  longRuns = false;
  /** Set with pipelined slots (patch pipelined-slots; sweep-lanes.ts). */
  lanes: SlotLanes | null = null;

  constructor(
    readonly sweepId: string,
    readonly spec: SweepSpec,
    readonly state: RunState,
    readonly study: Study,
    private readonly continueAsNewAfterEvents = DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS,
  ) {}

  get progress() {
    return this.state.progress;
  }

  /** Installs the control signals (cancel, pause, resume, extend, retry) and rung reports. */
  installSignalHandlers(): void {
    setHandler(cancelSignal, () => this.cancel());
    setHandler(pauseSignal, () => this.setPaused(true));
    setHandler(resumeSignal, () => this.setPaused(false));
    setHandler(extendBudgetSignal, (extra: number) => this.extendBudget(extra));
    setHandler(extendGpuBudgetSignal, (hours: number) => this.extendGpuBudget(hours));
    setHandler(retryFailedSignal, () => this.retryFailed());
    setHandler(trialReportSignal, (report: TrialReport) => this.onTrialReport(report));
  }

  private cancel(): void {
    this.cancelRequested = true;
    this.progress.state = 'cancelling';
    for (const scope of this.running.values()) scope.cancel();
  }

  private setPaused(paused: boolean): void {
    if (this.cancelRequested || this.state.paused === paused) return;
    this.state.paused = paused;
    this.progress.state = paused ? 'paused' : 'running';
    this.sweepRowDirty = true;
  }

  private extendBudget(extra: number): void {
    if (!budgetExtendable(this.spec)) {
      log.warn('extendBudget ignored: a grid sweep runs exactly its grid', {
        sweepId: this.sweepId,
      });
      return;
    }
    if (!Number.isInteger(extra) || extra < 1) {
      log.warn('extendBudget ignored: the extra trial count must be a positive integer', { extra });
      return;
    }
    this.state.budget += extra;
    this.progress.total = this.state.budget;
    this.sweepRowDirty = true;
  }

  private extendGpuBudget(hours: number): void {
    const { gpu } = this.state;
    if (!gpu) {
      log.warn('extendGpuBudget ignored: the sweep has no GPU-time budget', {
        sweepId: this.sweepId,
      });
      return;
    }
    if (!extendGpuBudget(gpu, hours)) {
      log.warn('extendGpuBudget ignored: the extra GPU hours must be a positive number', { hours });
      return;
    }
    this.syncGpuProgress();
    this.sweepRowDirty = true;
  }

  /** Mirrors the GPU-time budget into the progress the query returns. */
  syncGpuProgress(): void {
    const { gpu } = this.state;
    if (!gpu) return;
    this.progress.gpuSecondsUsed = gpu.usedSeconds;
    this.progress.gpuHoursBudget = gpu.budgetSeconds / 3600;
  }

  /**
   * Whether a new trial (not a retry) may be asked for: the trial budget has room and, with a
   * GPU-time budget, the trials in flight and one more fit the GPU time left.
   */
  wantsNewTrial(): boolean {
    if (this.study.size >= this.state.budget) return false;
    const { gpu } = this.state;
    if (!gpu) return true;
    const inFlight = this.running.size + (this.ahead?.queued ?? 0);
    return gpuBudgetAffords(gpu, inFlight, this.spec.maxParallel);
  }

  private retryFailed(): void {
    const { state } = this;
    // pbt replaces a failed member by a copy of a working one at the next interval instead.
    if (this.cancelRequested || state.failed.length === 0 || this.spec.algorithm === 'pbt') return;
    this.progress.failed -= state.failed.length;
    state.retryQueue.push(...state.failed);
    for (const trial of state.failed) this.study.retry(trial.number);
    state.failed = [];
  }

  private onTrialReport(report: TrialReport): void {
    const scope = this.running.get(report.number);
    // Late or duplicate reports (a retried attempt, an already-pruned trial) change nothing.
    if (!scope || this.pruned.has(report.number) || !Number.isFinite(report.epoch)) return;
    this.study.report(report.number, report.epoch + 1, report.value);
    if (this.study.shouldPrune(report.number)) {
      this.pruned.add(report.number);
      scope.cancel();
    }
  }

  /**
   * Counts a trial's outcome and tells the study (the workflow records it in the database).
   * Returns whether the trial is infeasible (completed, but off an outcome constraint).
   */
  tell(trial: PlannedTrial, outcome: TrialOutcome): boolean {
    const { progress, state, study } = this;
    progress[outcome.status]++;
    if (state.gpu) {
      spendGpuSeconds(state.gpu, outcome.gpuSeconds ?? 0);
      this.syncGpuProgress();
    }
    if (trial.pbt) this.pbtOutcomes.set(trial.number, outcome);
    if (outcome.status === 'failed') state.failed.push(trial);
    noteOutcome(state, trial.trialId, outcome);
    const values =
      outcome.status === 'completed' && outcome.objective !== null
        ? objectiveValues(outcome.objective, outcome.values, this.spec.objectives)
        : null;
    // Sweeps started before constraints existed have none: violation 0, history unchanged.
    const violation = values ? constraintViolation(outcome.values, this.spec.constraints) : 0;
    if (values) {
      study.tell(trial.number, { state: 'completed', values, violation });
    } else {
      // The study knows no "cancelled": like a failure, it gives the sampler nothing to learn.
      study.tell(trial.number, { state: outcome.status === 'pruned' ? 'pruned' : 'failed' });
    }
    if (outcome.status === 'completed' && outcome.objective !== null && violation === 0) {
      if (isBetter(outcome.objective, progress.bestValue, this.spec.metric.goal)) {
        progress.bestValue = outcome.objective;
        progress.bestTrialId = trial.trialId;
        state.bestParams = trial.params;
      }
    }
    return values !== null && violation > 0;
  }

  /** A pruned trial's objective is the last value it reported. */
  prunedOutcome(number: number): TrialOutcome {
    const reports = this.study.trial(number)!.intermediate;
    const last = Math.max(...Object.keys(reports).map(Number));
    return { status: 'pruned', objective: reports[last] ?? null, values: {} };
  }

  /** The next trial to launch: a queued retry first, then a new one asked of the study. */
  nextTrial(): { trial: PlannedTrial; retry: boolean } | null {
    const retried = this.state.retryQueue.shift();
    if (retried) return { trial: retried, retry: true };
    if (!this.wantsNewTrial()) return null;
    const { number, params } = this.study.ask();
    return {
      trial: {
        trialId: trialId(this.sweepId, number),
        number,
        params: { ...this.spec.fixed, ...params },
      },
      retry: false,
    };
  }

  hasWork(): boolean {
    return (
      this.state.retryQueue.length > 0 || this.wantsNewTrial() || (this.ahead?.pending ?? false)
    );
  }

  historyIsLong(): boolean {
    const info = workflowInfo();
    if (info.historyLength >= this.continueAsNewAfterEvents) return true;
    // Every continue-as-new waits for all running trials to end, leaving slots idle meanwhile.
    return this.longRuns
      ? info.historySize >= CONTINUE_AS_NEW_AFTER_BYTES
      : info.continueAsNewSuggested;
  }

  /** Trials launched at most: maxParallel, or one more behind each with pipelined slots. */
  launchCap(): number {
    return this.lanes?.capacity ?? this.spec.maxParallel;
  }

  canLaunch(): boolean {
    if (this.ahead) return this.ahead.canLaunch();
    return (
      !this.state.paused &&
      !this.historyIsLong() &&
      this.running.size < this.launchCap() &&
      this.hasWork()
    );
  }

  /** Whether the workflow has something to do: the condition its main loop waits on. */
  needsAttention(): boolean {
    return (
      this.cancelRequested ||
      this.sweepRowDirty ||
      this.canLaunch() ||
      (this.ahead?.wants() ?? false) ||
      (this.writes?.queued ?? false) ||
      (this.running.size === 0 &&
        !(this.ahead?.pending ?? false) &&
        (!this.hasWork() || (this.historyIsLong() && !this.state.paused)))
    );
  }
}
