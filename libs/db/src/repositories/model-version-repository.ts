import type { ChampionChangeView, ModelVersionView, Params } from '@retune/core';
import type { Db } from '../client';
import { iso } from './mappers';

const select = {
  id: true,
  task: true,
  version: true,
  artifact: true,
  metricName: true,
  metricValue: true,
  metrics: true,
  params: true,
  baseModel: true,
  dataset: true,
  isChampion: true,
  sweepId: true,
  trialId: true,
  retrainRunId: true,
  snapshotId: true,
  createdAt: true,
  promotedAt: true,
} as const;

type Row = Omit<ModelVersionView, 'metrics' | 'params' | 'createdAt' | 'promotedAt'> & {
  metrics: unknown;
  params: unknown;
  createdAt: Date;
  promotedAt: Date | null;
};

function toView(row: Row): ModelVersionView {
  return {
    ...row,
    metrics: (row.metrics ?? {}) as Record<string, number>,
    params: (row.params ?? {}) as Params,
    createdAt: row.createdAt.toISOString(),
    promotedAt: iso(row.promotedAt),
  };
}

const changeSelect = {
  id: true,
  task: true,
  modelVersionId: true,
  previousVersionId: true,
  reason: true,
  createdAt: true,
} as const;

export interface ModelVersionInput {
  id: string;
  task: string;
  artifact: string;
  metricName: string;
  metricValue: number | null;
  metrics: Record<string, number>;
  params: Params;
  baseModel: string;
  dataset: string;
  sweepId?: string | null;
  trialId?: string | null;
  retrainRunId?: string | null;
  snapshotId?: string | null;
}

/** Attempts at the next version number before giving up on a concurrent registration race. */
const VERSION_ATTEMPTS = 5;

/** The model registry: versions per task with lineage, one champion per task, and its history. */
export function createModelVersionRepository(db: Db) {
  return {
    /** Idempotent by id; the version number is the task's next one. */
    async register(input: ModelVersionInput): Promise<ModelVersionView> {
      for (let attempt = 1; ; attempt++) {
        const existing = await db.modelVersion.findUnique({ where: { id: input.id }, select });
        if (existing) return toView(existing);
        const last = await db.modelVersion.findFirst({
          where: { task: input.task },
          orderBy: { version: 'desc' },
          select: { version: true },
        });
        try {
          const row = await db.modelVersion.create({
            data: {
              ...input,
              version: (last?.version ?? 0) + 1,
              metrics: input.metrics,
              params: input.params,
            },
            select,
          });
          return toView(row);
        } catch (err) {
          // Another registration took this version number (unique task+version): try the next.
          if ((err as { code?: string }).code !== 'P2002' || attempt >= VERSION_ATTEMPTS) throw err;
        }
      }
    },

    async get(id: string): Promise<ModelVersionView | null> {
      const row = await db.modelVersion.findUnique({ where: { id }, select });
      return row ? toView(row) : null;
    },

    /** Newest first, optionally for one task. */
    async list(filter: { task?: string; limit?: number } = {}): Promise<ModelVersionView[]> {
      const rows = await db.modelVersion.findMany({
        where: filter.task ? { task: filter.task } : {},
        orderBy: [{ task: 'asc' }, { version: 'desc' }],
        take: filter.limit ?? 200,
        select,
      });
      return rows.map(toView);
    },

    async champion(task: string): Promise<ModelVersionView | null> {
      const row = await db.modelVersion.findFirst({
        where: { task, isChampion: true },
        orderBy: { promotedAt: 'desc' },
        select,
      });
      return row ? toView(row) : null;
    },

    /**
     * Makes `id` its task's only champion and records the change, in one transaction. Promoting
     * the current champion again changes nothing (so a retried activity records one change).
     */
    async promote(
      id: string,
      change: { changeId: string; reason: string },
    ): Promise<{
      version: ModelVersionView;
      previousVersionId: string | null;
      changed: boolean;
    } | null> {
      return db.$transaction(async (tx) => {
        const target = await tx.modelVersion.findUnique({ where: { id }, select });
        if (!target) return null;
        if (target.isChampion) {
          return { version: toView(target), previousVersionId: null, changed: false };
        }
        const previous = await tx.modelVersion.findFirst({
          where: { task: target.task, isChampion: true },
          orderBy: { promotedAt: 'desc' },
          select: { id: true },
        });
        await tx.modelVersion.updateMany({
          where: { task: target.task, isChampion: true },
          data: { isChampion: false },
        });
        const row = await tx.modelVersion.update({
          where: { id },
          data: { isChampion: true, promotedAt: new Date() },
          select,
        });
        await tx.championChange.create({
          data: {
            id: change.changeId,
            task: target.task,
            modelVersionId: id,
            previousVersionId: previous?.id ?? null,
            reason: change.reason,
          },
          select: { id: true },
        });
        return { version: toView(row), previousVersionId: previous?.id ?? null, changed: true };
      });
    },

    /** Champion changes, newest first, optionally for one task. */
    async championHistory(
      filter: { task?: string; limit?: number } = {},
    ): Promise<ChampionChangeView[]> {
      const rows = await db.championChange.findMany({
        where: filter.task ? { task: filter.task } : {},
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: filter.limit ?? 200,
        select: changeSelect,
      });
      return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
    },
  };
}

export type ModelVersionRepository = ReturnType<typeof createModelVersionRepository>;
