import { z } from 'zod';
import { baseModelMetaSchema } from './protocol/base-model-meta';

/**
 * Shapes the API returns. Repositories map rows into these, so no raw database row
 * reaches a UI; tRPC procedures use them as output schemas.
 */
export const SWEEP_STATUSES = [
  'queued',
  'running',
  'paused',
  'completed',
  'cancelled',
  'failed',
] as const;
export const TRIAL_STATUSES = [
  'pending',
  'running',
  'completed',
  'pruned',
  'failed',
  'cancelled',
] as const;
export const sweepStatusSchema = z.enum(SWEEP_STATUSES);
export const trialStatusSchema = z.enum(TRIAL_STATUSES);
export type SweepStatus = z.infer<typeof sweepStatusSchema>;
export type TrialStatus = z.infer<typeof trialStatusSchema>;

/** Sweeps whose workflow still runs: they can be paused, resumed, extended or cancelled. */
export const LIVE_SWEEP_STATUSES = ['queued', 'running', 'paused'] as const;
export type LiveSweepStatus = (typeof LIVE_SWEEP_STATUSES)[number];
export const isLiveSweep = (status: string): status is LiveSweepStatus =>
  (LIVE_SWEEP_STATUSES as readonly string[]).includes(status);

const paramValue = z.union([z.string(), z.number(), z.boolean()]);
const isoDate = z.string();

export const trialCountsSchema = z.object({
  pending: z.number().int(),
  running: z.number().int(),
  completed: z.number().int(),
  pruned: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
});
export type TrialCounts = z.infer<typeof trialCountsSchema>;

/** Trials that reached a final state, whatever it was. */
export const finishedCount = (c: TrialCounts): number =>
  c.completed + c.pruned + c.failed + c.cancelled;

export const sweepSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  status: sweepStatusSchema,
  algorithm: z.string(),
  metricName: z.string(),
  metricGoal: z.enum(['maximize', 'minimize']),
  plannedTrials: z.number().int(),
  counts: trialCountsSchema,
  /** The GPU-time budget in hours (spec budget.gpuHours plus extensions), null without one. */
  gpuHoursBudget: z.number().nullable().optional(),
  /** GPU seconds the sweep's finished trials spent. */
  gpuSecondsUsed: z.number().optional(),
  bestTrialId: z.string().nullable(),
  bestValue: z.number().nullable(),
  workflowId: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: isoDate,
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
});
export type SweepSummary = z.infer<typeof sweepSummarySchema>;

export const trialViewSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  params: z.record(z.string(), paramValue),
  status: trialStatusSchema,
  objective: z.number().nullable(),
  values: z.record(z.string(), z.number()),
  error: z.string().nullable(),
  worker: z.string().nullable(),
  slot: z.number().int().nullable(),
  attempts: z.number().int(),
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
  durationMs: z.number().nullable(),
  /** Wall time of the trial's last attempt on its GPU slot. */
  gpuSeconds: z.number().nullable().optional(),
  /** Completed but off an outcome constraint (spec constraints): never best, off the Pareto front. */
  infeasible: z.boolean().optional(),
});
export type TrialView = z.infer<typeof trialViewSchema>;

export const sweepDetailSchema = sweepSummarySchema.extend({
  dataset: z.string(),
  baseModel: z.string(),
  spec: z.unknown(),
  trials: z.array(trialViewSchema),
});
export type SweepDetail = z.infer<typeof sweepDetailSchema>;

export const metricPointViewSchema = z.object({
  epoch: z.number().int(),
  step: z.number().int(),
  name: z.string(),
  value: z.number(),
});
export type MetricPointView = z.infer<typeof metricPointViewSchema>;

export const baseModelViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  path: z.string(),
  inputShape: z.array(z.number().int().nullable()),
  source: z.string(),
  /** Null for base models registered without metadata (trainers assume [0, 1] inputs). */
  meta: baseModelMetaSchema.nullable(),
  createdAt: isoDate,
});
export type BaseModelView = z.infer<typeof baseModelViewSchema>;
