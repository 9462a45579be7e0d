import type { MetricGoal, OutcomeConstraint, Params, TrainerSpec, TrialReport } from '@retune/core';
import type { RunAs } from '../trainer-process/run-as';

export interface RunTrialInput {
  sweepId: string;
  trialId: string;
  number: number;
  params: Params;
  trainer: TrainerSpec;
  dataset: string;
  baseModel: string;
  metric: { name: string; goal: MetricGoal };
  /** Further objectives of a multi-objective sweep: the result must report each of them. */
  objectives?: { name: string; goal: MetricGoal }[];
  /** Outcome constraints: the result must report each constrained value. */
  constraints?: OutcomeConstraint[];
  seed: number;
  /** Epochs (0-based) whose metric value the workflow wants, to decide on early stopping. */
  reportEpochs?: number[] | 'all';
  /**
   * Population-based training: start from this checkpoint (a parent trial's; null at the first
   * interval), seed the trainer as trial `seedTrial` did, and return the last checkpoint.
   */
  pbt?: { resumeFrom: string | null; seedTrial: number };
  /**
   * Pipelined slots: the trial launched ahead of this one in its lane. This one starts once
   * that one no longer trains (docs/pipelined-slots.md).
   */
  after?: string;
  /** Pipelined slots: the trial's time limit, counted from its real start on a slot. */
  trialTimeoutSeconds?: number;
}

/** Delivers a rung value to the sweep workflow (a signal; see the worker entrypoint). */
export type ReportIntermediate = (workflowId: string, report: TrialReport) => Promise<void>;

/** Heartbeat details: what a retry on another worker needs to resume. */
export interface TrialHeartbeat {
  epoch: number;
  lastCheckpoint: string | null;
}

export interface ResolvedTrainer {
  command: string[];
  cwd?: string;
  /** Run the process as this (unprivileged) user; the trial's folder is handed over to it. */
  runAs?: RunAs;
  /** It can take several trials in one process (serve mode, docs/trainer-reuse.md). */
  reusable?: boolean;
}
