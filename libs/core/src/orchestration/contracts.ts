import type { Params } from '../spec/search-space';
import type { StoredSweepSpec } from '../spec/stored-spec';
import type { StudyJSON } from '../search/study';
import type { GpuBudgetState } from '../search/gpu-budget';
import type { PbtSegment } from '../search/pbt-lineage';
import type { PbtCarried } from '../search/pbt-run';

/** Names shared by the worker (which registers) and the API/CLI (which start and signal). */
export const TASK_QUEUES = {
  control: 'retune-control',
  gpu: 'retune-gpu',
  /** The Python sampler worker (samplers/optuna): Optuna's GP and CMA-ES. */
  sampler: 'retune-sampler',
} as const;
export const SWEEP_WORKFLOW_TYPE = 'sweepWorkflow';
export const sweepWorkflowId = (sweepId: string) => `sweep-${sweepId}`;
export const trialId = (sweepId: string, trialNumber: number) => `${sweepId}-t${trialNumber}`;

export const SIGNALS = {
  cancel: 'cancel',
  pause: 'pause',
  resume: 'resume',
  extendBudget: 'extendBudget',
  /** Adds GPU hours to a sweep with a GPU-time budget (`budget.gpuHours`). */
  extendGpuBudget: 'extendGpuBudget',
  retryFailed: 'retryFailed',
  /** Sent by a trial activity at the epochs the early-stopping rule looks at. */
  trialReport: 'trialReport',
} as const;

/** An intermediate value of the sweep metric, reported at an early-stopping rung. */
export interface TrialReport {
  number: number;
  epoch: number;
  value: number;
}
export const QUERIES = { progress: 'progress' } as const;

export interface SweepWorkflowInput {
  sweepId: string;
  /** As stored when the sweep launched: the workflow applies withStoredSpecDefaults. */
  spec: StoredSweepSpec;
  /** Set by the workflow itself when it continues as new. */
  carried?: CarriedSweepState;
  /** Continue as new once history has this many events (default 10,000; tests lower it). */
  continueAsNewAfterEvents?: number;
}

/** Everything a sweep run hands to the next run when it continues as new. */
export interface CarriedSweepState {
  /** The study (every trial's params, state, values and rung reports), as Study.toJSON(). */
  study: StudyJSON;
  budget: number;
  paused: boolean;
  retryQueue: PlannedTrial[];
  failed: PlannedTrial[];
  progress: SweepProgress;
  bestParams: Params | null;
  runs: number;
  /** Why each failed trial failed, by trial id, kept only while no trial has succeeded. */
  failureReasons?: Record<string, string>;
  /** Sweeps with `budget.gpuHours`: GPU time spent and allowed so far. */
  gpu?: GpuBudgetState;
  /** algorithm: pbt — the population between intervals. */
  pbt?: PbtCarried;
}

/** `pruned`: stopped early by the sweep's early-stopping rule; its objective is the last reported value. */
export type TrialFinalStatus = 'completed' | 'pruned' | 'failed' | 'cancelled';

/** What a trial run reports back to the workflow: small, no metric history. */
export interface TrialOutcome {
  status: TrialFinalStatus;
  /** The sweep metric taken from the trainer's result (or the best epoch), if any. */
  objective: number | null;
  values: Record<string, number>;
  error?: string;
  artifact?: string;
  /** Wall time of the attempt on its GPU slot (set by the trial activity; the workflow's clock otherwise). */
  gpuSeconds?: number;
  /** Set by the workflow when a completed trial breaks an outcome constraint. */
  infeasible?: boolean;
  /** Population-based training: the last checkpoint the trainer wrote (the next interval's start). */
  checkpoint?: string;
}

export interface PlannedTrial {
  trialId: string;
  number: number;
  params: Params;
  /** Population-based training only: which member and interval this trial runs. */
  pbt?: PbtPlacement;
}

/** A pbt trial's place in its population, and how its trainer starts. */
export interface PbtPlacement extends PbtSegment {
  /** The checkpoint to continue from (the parent trial's last one); null at the first interval. */
  resumeFrom: string | null;
  /** The trial number that seeds the trainer: the first of the weights' line, so a checkpoint's seed matches. */
  seedTrial: number;
}

export type SweepState = 'running' | 'paused' | 'cancelling' | 'completed' | 'cancelled' | 'failed';

export interface SweepProgress {
  state: SweepState;
  /** The trial budget (grows with extendBudget). */
  total: number;
  started: number;
  running: number;
  completed: number;
  pruned: number;
  failed: number;
  cancelled: number;
  bestTrialId: string | null;
  bestValue: number | null;
  /** Sweeps with `budget.gpuHours`: GPU seconds spent and the budget in hours (grows with extendGpuBudget). */
  gpuSecondsUsed?: number;
  gpuHoursBudget?: number;
}

export interface SweepResult {
  sweepId: string;
  status: 'completed' | 'cancelled' | 'failed';
  bestTrialId: string | null;
  bestValue: number | null;
  bestParams: Params | null;
  /** Multi-objective sweeps: the trials on the Pareto front of all objectives, by number. */
  paretoTrialIds?: string[];
  progress: SweepProgress;
  /** Why the sweep failed (also stored on the sweep row). */
  error?: string;
}
