import type { MetricGoal, Params, TrainerSpec } from '@retune/core';

export interface RunTrialInput {
  sweepId: string;
  trialId: string;
  number: number;
  params: Params;
  trainer: TrainerSpec;
  dataset: string;
  baseModel: string;
  metric: { name: string; goal: MetricGoal };
  seed: number;
}

/** Heartbeat details: what a retry on another worker needs to resume. */
export interface TrialHeartbeat {
  epoch: number;
  lastCheckpoint: string | null;
}

export interface ResolvedTrainer {
  command: string[];
  cwd?: string;
}
