import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import {
  parseSweepSpec,
  plannedTrialCount,
  type ChampionInfo,
  type DatasetSnapshotInfo,
  type Params,
  type RetrainConfig,
  type RetrainNotification,
  type SweepSpec,
} from '@retune/core';
import type { RetrainRunFinish, Repositories } from '@retune/db';
import { fingerprintDataset } from './snapshot-dataset';
import { postWebhook, type FetchLike } from './notify-webhook';
import { assertOutboundUrl } from './outbound-url';

export interface RetrainActivityDeps {
  repos: Pick<
    Repositories,
    'schedules' | 'retrainRuns' | 'datasetSnapshots' | 'modelVersions' | 'sweeps' | 'trials'
  >;
  /** The webhook client (tests pass a fake); defaults to global fetch. */
  fetch?: FetchLike;
  /** Hosts webhooks may reach over http or at private addresses (RETUNE_ALLOWED_HOSTS). */
  allowedHosts?: string[];
}

/** Ids derived from the run, so a retried activity writes the same rows. */
const shortHash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);
export const retrainRunIdFor = (workflowId: string) => `rr_${shortHash(workflowId)}`;
export const candidateSweepIdFor = (runId: string) => `${runId}_sweep`;
export const modelVersionIdFor = (runId: string) => `mv_${runId.slice(3)}`;

export interface CandidateInput {
  runId: string;
  task: string;
  spec: SweepSpec;
  sweepId: string;
  trialId: string;
  params: Params;
  metricValue: number | null;
  snapshotId: string | null;
}

export interface HoldoutEvaluation {
  candidate: number | null;
  champion: number | null;
  /** How the values were obtained: `recorded` = each model's own validation metric. */
  method: 'recorded';
}

/** A stored spec that no longer validates will not get better by retrying. */
function parseStoredSpec(spec: unknown, scheduleId: string): SweepSpec {
  try {
    return parseSweepSpec(spec);
  } catch (err) {
    throw ApplicationFailure.nonRetryable(
      `schedule ${scheduleId}: ${(err as Error).message}`,
      'InvalidSpec',
    );
  }
}

/** DB work and side effects of a retrain run; each activity is idempotent. */
export function createRetrainActivities(deps: RetrainActivityDeps) {
  const { schedules, retrainRuns, datasetSnapshots, modelVersions, sweeps, trials } = deps.repos;
  const fetchFn: FetchLike = deps.fetch ?? ((url, init) => fetch(url, init));
  return {
    async loadRetrainConfig(scheduleId: string): Promise<RetrainConfig> {
      const s = await schedules.get(scheduleId);
      if (!s) {
        throw ApplicationFailure.nonRetryable(
          `schedule ${scheduleId} no longer exists`,
          'NotFound',
        );
      }
      return {
        scheduleId: s.id,
        name: s.name,
        task: s.task,
        spec: parseStoredSpec(s.spec, scheduleId),
        policy: s.policy,
        promoteMargin: s.promoteMargin,
        webhookUrl: s.webhookUrl,
      };
    },

    async startRetrainRun(input: {
      scheduleId: string;
      workflowId: string;
      forced: boolean;
    }): Promise<string> {
      const run = await retrainRuns.start({ id: retrainRunIdFor(input.workflowId), ...input });
      return run.id;
    },

    /** Fingerprints the dataset, stores the snapshot, and returns the last settled run's hash. */
    async takeDatasetSnapshot(input: {
      runId: string;
      scheduleId: string;
      dataset: string;
    }): Promise<DatasetSnapshotInfo> {
      const { fileCount, contentHash } = await fingerprintDataset(input.dataset).catch((err) => {
        throw ApplicationFailure.nonRetryable(
          `cannot read dataset ${input.dataset}: ${(err as Error).message}`,
          'DatasetUnreadable',
        );
      });
      const snap = await datasetSnapshots.record({
        id: `ds_${input.runId.slice(3)}`,
        dataset: input.dataset,
        fileCount,
        contentHash,
      });
      const previousHash = await retrainRuns.lastSettledHash(input.scheduleId, input.runId);
      return {
        snapshotId: snap.id,
        dataset: snap.dataset,
        fileCount: snap.fileCount,
        contentHash: snap.contentHash,
        previousHash,
      };
    },

    async getChampion(task: string): Promise<ChampionInfo | null> {
      const v = await modelVersions.champion(task);
      return v
        ? {
            versionId: v.id,
            version: v.version,
            params: v.params,
            metricValue: v.metricValue,
            artifact: v.artifact,
          }
        : null;
    },

    /** The sweep row the candidate's child sweepWorkflow records its trials in. */
    async createCandidateSweep(input: { runId: string; spec: SweepSpec }): Promise<string> {
      const id = candidateSweepIdFor(input.runId);
      if (!(await sweeps.exists(id))) {
        await sweeps.create({
          id,
          name: input.spec.name,
          spec: input.spec,
          plannedTrials: plannedTrialCount(input.spec),
        });
      }
      return id;
    },

    /**
     * The comparison when the models cannot be re-scored (not tfjs, no saved champion, or a
     * metric other than accuracy): each model's own recorded metric. For the synthetic trainer
     * that metric is the evaluation itself. tfjs models are re-scored by scoreOnHoldout.
     */
    async evaluateOnHoldout(input: {
      candidate: number | null;
      champion: ChampionInfo | null;
    }): Promise<HoldoutEvaluation> {
      return {
        candidate: input.candidate,
        champion: input.champion?.metricValue ?? null,
        method: 'recorded',
      };
    },

    /** Registers the candidate; returns its id and artifact (empty when the trainer saved none). */
    async registerModelVersion(
      input: CandidateInput,
    ): Promise<{ versionId: string; artifact: string }> {
      const trial = await trials.detail(input.trialId);
      const version = await modelVersions.register({
        id: modelVersionIdFor(input.runId),
        task: input.task,
        artifact: trial?.artifact ?? '',
        metricName: input.spec.metric.name,
        metricValue: input.metricValue,
        metrics: trial?.values ?? {},
        params: input.params,
        baseModel: input.spec.baseModel,
        dataset: input.spec.dataset,
        sweepId: input.sweepId,
        trialId: input.trialId,
        retrainRunId: input.runId,
        snapshotId: input.snapshotId,
      });
      return { versionId: version.id, artifact: version.artifact };
    },

    async promoteModelVersion(input: { versionId: string; reason: string }): Promise<void> {
      const done = await modelVersions.promote(input.versionId, {
        changeId: `cc_${shortHash(input.versionId)}`,
        reason: input.reason,
      });
      if (!done) {
        throw ApplicationFailure.nonRetryable(
          `model version ${input.versionId} not found`,
          'NotFound',
        );
      }
    },

    async finishRetrainRun(runId: string, finish: RetrainRunFinish): Promise<void> {
      await retrainRuns.finish(runId, finish);
    },

    async notifyWebhook(url: string, body: RetrainNotification): Promise<{ status: number }> {
      await assertOutboundUrl('webhookUrl', url, { allowedHosts: deps.allowedHosts ?? [] });
      return postWebhook(fetchFn, url, body);
    },
  };
}

export type RetrainActivities = ReturnType<typeof createRetrainActivities>;
export type { RetrainRunFinish } from '@retune/db';
