import type { Params, SweepSummary, TrialCounts, TrialView } from '@retune/core';
import { sweepStatusSchema, trialStatusSchema } from '@retune/core';

export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export const emptyCounts = (): TrialCounts => ({
  pending: 0,
  running: 0,
  completed: 0,
  pruned: 0,
  failed: 0,
  cancelled: 0,
});

export const sweepSummarySelect = {
  id: true,
  name: true,
  status: true,
  algorithm: true,
  metricName: true,
  metricGoal: true,
  plannedTrials: true,
  gpuHoursBudget: true,
  bestTrialId: true,
  bestValue: true,
  workflowId: true,
  error: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
} as const;

type SweepSummaryRow = {
  id: string;
  name: string;
  status: string;
  algorithm: string;
  metricName: string;
  metricGoal: string;
  plannedTrials: number;
  gpuHoursBudget: number | null;
  bestTrialId: string | null;
  bestValue: number | null;
  workflowId: string | null;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

export function toSweepSummary(
  row: SweepSummaryRow,
  counts: TrialCounts,
  gpuSecondsUsed = 0,
): SweepSummary {
  return {
    id: row.id,
    name: row.name,
    status: sweepStatusSchema.parse(row.status),
    algorithm: row.algorithm,
    metricName: row.metricName,
    metricGoal: row.metricGoal === 'minimize' ? 'minimize' : 'maximize',
    plannedTrials: row.plannedTrials,
    counts,
    gpuHoursBudget: row.gpuHoursBudget,
    gpuSecondsUsed,
    bestTrialId: row.bestTrialId,
    bestValue: row.bestValue,
    workflowId: row.workflowId,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  };
}

export const trialViewSelect = {
  id: true,
  number: true,
  params: true,
  status: true,
  objective: true,
  values: true,
  error: true,
  worker: true,
  slot: true,
  attempts: true,
  gpuSeconds: true,
  infeasible: true,
  startedAt: true,
  finishedAt: true,
} as const;

type TrialRow = {
  id: string;
  number: number;
  params: unknown;
  status: string;
  objective: number | null;
  values: unknown;
  error: string | null;
  worker: string | null;
  slot: number | null;
  attempts: number;
  gpuSeconds: number | null;
  infeasible: boolean;
  startedAt: Date | null;
  finishedAt: Date | null;
};

export function toTrialView(row: TrialRow): TrialView {
  return {
    id: row.id,
    number: row.number,
    params: (row.params ?? {}) as Params,
    status: trialStatusSchema.parse(row.status),
    objective: row.objective,
    values: (row.values ?? {}) as Record<string, number>,
    error: row.error,
    worker: row.worker,
    slot: row.slot,
    attempts: row.attempts,
    gpuSeconds: row.gpuSeconds,
    infeasible: row.infeasible,
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    durationMs:
      row.startedAt && row.finishedAt ? row.finishedAt.getTime() - row.startedAt.getTime() : null,
  };
}
