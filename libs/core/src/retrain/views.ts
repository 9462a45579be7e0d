import { z } from 'zod';
import { RETRAIN_OUTCOMES } from './contracts';
import { OVERLAP_POLICIES, RETRAIN_POLICIES } from './schedule-spec';

const isoDate = z.string();
const paramValue = z.union([z.string(), z.number(), z.boolean()]);

export const retrainScheduleViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  task: z.string(),
  spec: z.record(z.string(), z.unknown()),
  policy: z.enum(RETRAIN_POLICIES),
  cron: z.string().nullable(),
  intervalSeconds: z.number().int().nullable(),
  timezone: z.string(),
  overlapPolicy: z.enum(OVERLAP_POLICIES),
  catchupWindowSeconds: z.number().int(),
  promoteMargin: z.number(),
  webhookUrl: z.string().nullable(),
  paused: z.boolean(),
  temporalScheduleId: z.string(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type RetrainScheduleView = z.infer<typeof retrainScheduleViewSchema>;

export const retrainRunViewSchema = z.object({
  id: z.string(),
  scheduleId: z.string(),
  workflowId: z.string(),
  status: z.enum(RETRAIN_OUTCOMES),
  reason: z.string().nullable(),
  forced: z.boolean(),
  snapshotId: z.string().nullable(),
  sweepId: z.string().nullable(),
  candidateVersionId: z.string().nullable(),
  championVersionId: z.string().nullable(),
  candidateMetric: z.number().nullable(),
  championMetric: z.number().nullable(),
  startedAt: isoDate,
  finishedAt: isoDate.nullable(),
});
export type RetrainRunView = z.infer<typeof retrainRunViewSchema>;

export const datasetSnapshotViewSchema = z.object({
  id: z.string(),
  dataset: z.string(),
  fileCount: z.number().int(),
  contentHash: z.string(),
  createdAt: isoDate,
});
export type DatasetSnapshotView = z.infer<typeof datasetSnapshotViewSchema>;

export const modelVersionViewSchema = z.object({
  id: z.string(),
  task: z.string(),
  version: z.number().int(),
  artifact: z.string(),
  metricName: z.string(),
  metricValue: z.number().nullable(),
  metrics: z.record(z.string(), z.number()),
  params: z.record(z.string(), paramValue),
  baseModel: z.string(),
  dataset: z.string(),
  isChampion: z.boolean(),
  sweepId: z.string().nullable(),
  trialId: z.string().nullable(),
  retrainRunId: z.string().nullable(),
  snapshotId: z.string().nullable(),
  createdAt: isoDate,
  promotedAt: isoDate.nullable(),
});
export type ModelVersionView = z.infer<typeof modelVersionViewSchema>;

export const championChangeViewSchema = z.object({
  id: z.string(),
  task: z.string(),
  modelVersionId: z.string(),
  previousVersionId: z.string().nullable(),
  reason: z.string(),
  createdAt: isoDate,
});
export type ChampionChangeView = z.infer<typeof championChangeViewSchema>;
