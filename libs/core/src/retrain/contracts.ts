import type { Params } from '../spec/search-space';
import type { SweepSpec } from '../spec/sweep-spec';
import type { RetrainPolicy } from './schedule-spec';

export const RETRAIN_WORKFLOW_TYPE = 'retrainWorkflow';
/** The Temporal Schedule of a RetrainSchedule row. */
export const retrainTemporalScheduleId = (scheduleId: string) => `retrain-${scheduleId}`;
/** Workflow id the schedule's action uses; Temporal appends the fire time to it. */
export const retrainWorkflowIdPrefix = (scheduleId: string) => `retrain-${scheduleId}`;

export const RETRAIN_OUTCOMES = ['running', 'promoted', 'kept', 'skipped', 'failed'] as const;
export type RetrainStatus = (typeof RETRAIN_OUTCOMES)[number];
export type RetrainOutcome = Exclude<RetrainStatus, 'running'>;

export interface RetrainWorkflowInput {
  scheduleId: string;
  /** Train even when the dataset has not changed since the last run. */
  force?: boolean;
  /** Webhook retry pacing (tests shorten it); default 1 s doubling, 5 attempts. */
  webhookRetry?: { initialIntervalMs: number; maximumAttempts: number };
}

/** What a run reads from its schedule row when it starts (edits apply to the next run). */
export interface RetrainConfig {
  scheduleId: string;
  name: string;
  task: string;
  spec: SweepSpec;
  policy: RetrainPolicy;
  promoteMargin: number;
  webhookUrl: string | null;
}

export interface DatasetSnapshotInfo {
  snapshotId: string;
  dataset: string;
  fileCount: number;
  contentHash: string;
  /** The hash the schedule's last settled run trained on (null: none). */
  previousHash: string | null;
}

export interface ChampionInfo {
  versionId: string;
  version: number;
  params: Params;
  metricValue: number | null;
  artifact: string;
}

export interface RetrainResult {
  runId: string;
  status: RetrainOutcome;
  reason: string;
  candidateVersionId: string | null;
  candidateMetric: number | null;
  championMetric: number | null;
}

/** The webhook body: one JSON object per finished run. */
export interface RetrainNotification {
  event: 'retrain.finished';
  schedule: string;
  task: string;
  runId: string;
  status: RetrainOutcome;
  reason: string;
  candidateMetric: number | null;
  championMetric: number | null;
  candidateVersionId: string | null;
}

/** Metrics that are classification accuracy, so a holdout accuracy can stand in for them. */
export const ACCURACY_METRICS = ['val_acc', 'test_acc', 'acc', 'best_val_acc'] as const;

export interface HoldoutScoreInput {
  dataset: string;
  /** model.json (or its folder) of each model. */
  candidateArtifact: string;
  championArtifact: string;
}

export interface HoldoutScores {
  candidate: number;
  champion: number;
  split: 'test' | 'val';
  images: number;
}

/** True when both saved tfjs models can be re-scored on one holdout (tfjs trainer, accuracy metric). */
export function canScoreOnHoldout(
  spec: { trainer: { name: string } | { command: string[] }; metric: { name: string } },
  candidateArtifact: string,
  championArtifact: string | null | undefined,
): boolean {
  return (
    'name' in spec.trainer &&
    spec.trainer.name === 'tfjs' &&
    (ACCURACY_METRICS as readonly string[]).includes(spec.metric.name) &&
    candidateArtifact !== '' &&
    !!championArtifact
  );
}
