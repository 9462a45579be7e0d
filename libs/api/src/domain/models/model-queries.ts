import { randomBytes } from 'node:crypto';
import type {
  ChampionChangeView,
  DatasetSnapshotView,
  ModelVersionView,
  RetrainRunView,
} from '@retune/core';
import type { Repositories } from '@retune/db';
import { NotFoundError } from '../errors';
import { assertMayPromote, promoterName, type Promoter } from './promotion-rights';

export interface ModelDeps {
  repos: Pick<
    Repositories,
    'modelVersions' | 'retrainRuns' | 'datasetSnapshots' | 'baseModels' | 'promotionGrants'
  >;
}

export interface ModelVersionDetail extends ModelVersionView {
  run: RetrainRunView | null;
  snapshot: DatasetSnapshotView | null;
}

export function listModelVersions(
  deps: ModelDeps,
  filter: { task?: string; limit?: number },
): Promise<ModelVersionView[]> {
  return deps.repos.modelVersions.list(filter);
}

export async function getModelVersion(deps: ModelDeps, id: string): Promise<ModelVersionDetail> {
  const v = await deps.repos.modelVersions.get(id);
  if (!v) throw new NotFoundError(`model version ${id}`);
  const [run, snapshot] = await Promise.all([
    v.retrainRunId ? deps.repos.retrainRuns.get(v.retrainRunId) : null,
    v.snapshotId ? deps.repos.datasetSnapshots.get(v.snapshotId) : null,
  ]);
  return { ...v, run, snapshot };
}

/** Makes a version its task's champion by hand (e.g. a rollback), if `who` may on its task. */
export async function promoteModelVersion(
  deps: ModelDeps,
  id: string,
  reason: string | undefined,
  who: Promoter,
): Promise<ModelVersionView> {
  const version = await deps.repos.modelVersions.get(id);
  if (!version) throw new NotFoundError(`model version ${id}`);
  await assertMayPromote(deps, who, version.task);
  const actor = promoterName(who);
  const done = await deps.repos.modelVersions.promote(id, {
    changeId: `cc_${randomBytes(6).toString('hex')}`,
    reason: reason?.trim() || `promoted by hand by ${actor}`,
  });
  if (!done) throw new NotFoundError(`model version ${id}`);
  return done.version;
}

export function championHistory(
  deps: ModelDeps,
  filter: { task?: string; limit?: number },
): Promise<ChampionChangeView[]> {
  return deps.repos.modelVersions.championHistory(filter);
}

/** What `retune model export` writes next to the artifact: identity, lineage and metrics. */
export async function modelCard(deps: ModelDeps, id: string) {
  const v = await getModelVersion(deps, id);
  return {
    format: 'retune-model-card/1',
    id: v.id,
    task: v.task,
    version: v.version,
    champion: v.isChampion,
    artifact: v.artifact,
    metric: { name: v.metricName, value: v.metricValue },
    metrics: v.metrics,
    params: v.params,
    lineage: {
      baseModel: v.baseModel,
      dataset: v.dataset,
      datasetSnapshot: v.snapshot
        ? {
            id: v.snapshot.id,
            fileCount: v.snapshot.fileCount,
            contentHash: v.snapshot.contentHash,
          }
        : null,
      sweepId: v.sweepId,
      trialId: v.trialId,
      retrainRun: v.run
        ? {
            id: v.run.id,
            scheduleId: v.run.scheduleId,
            workflowId: v.run.workflowId,
            status: v.run.status,
          }
        : null,
    },
    createdAt: v.createdAt,
    promotedAt: v.promotedAt,
  };
}

export type ModelCard = Awaited<ReturnType<typeof modelCard>>;

export function listBaseModels(deps: ModelDeps) {
  return deps.repos.baseModels.list();
}
