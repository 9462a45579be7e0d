import type { RetrainOutcome, RetrainRunView, RetrainStatus } from '@retune/core';
import { RETRAIN_OUTCOMES } from '@retune/core';
import type { Db } from '../client';
import { iso } from './mappers';

const select = {
  id: true,
  scheduleId: true,
  workflowId: true,
  status: true,
  reason: true,
  forced: true,
  snapshotId: true,
  sweepId: true,
  candidateVersionId: true,
  championVersionId: true,
  candidateMetric: true,
  championMetric: true,
  startedAt: true,
  finishedAt: true,
} as const;

type Row = Omit<RetrainRunView, 'status' | 'startedAt' | 'finishedAt'> & {
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
};

function toView(row: Row): RetrainRunView {
  return {
    ...row,
    status: (RETRAIN_OUTCOMES as readonly string[]).includes(row.status)
      ? (row.status as RetrainStatus)
      : 'failed',
    startedAt: row.startedAt.toISOString(),
    finishedAt: iso(row.finishedAt),
  };
}

export interface RetrainRunFinish {
  status: RetrainOutcome;
  reason: string;
  snapshotId?: string | null;
  sweepId?: string | null;
  candidateVersionId?: string | null;
  championVersionId?: string | null;
  candidateMetric?: number | null;
  championMetric?: number | null;
}

/** Outcomes that trained on (or deliberately skipped) a snapshot: the baseline for "unchanged". */
const SETTLED: RetrainStatus[] = ['promoted', 'kept', 'skipped'];

export function createRetrainRunRepository(db: Db) {
  return {
    /** One row per workflow id: a retried activity returns the row it made the first time. */
    async start(input: {
      id: string;
      scheduleId: string;
      workflowId: string;
      forced: boolean;
    }): Promise<RetrainRunView> {
      const row = await db.retrainRun.upsert({
        where: { workflowId: input.workflowId },
        create: { ...input, status: 'running' },
        update: {},
        select,
      });
      return toView(row);
    },

    /** False when the run is gone (its schedule was deleted while it ran): nothing to record. */
    async finish(id: string, finish: RetrainRunFinish): Promise<boolean> {
      const { count } = await db.retrainRun.updateMany({
        where: { id },
        data: { ...finish, finishedAt: new Date() },
      });
      return count > 0;
    },

    async get(id: string): Promise<RetrainRunView | null> {
      const row = await db.retrainRun.findUnique({ where: { id }, select });
      return row ? toView(row) : null;
    },

    /** Newest first. */
    async listBySchedule(scheduleId: string, limit = 20): Promise<RetrainRunView[]> {
      const rows = await db.retrainRun.findMany({
        where: { scheduleId },
        orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
        take: limit,
        select,
      });
      return rows.map(toView);
    },

    /** The content hash the schedule's latest settled run (other than `exceptRunId`) read. */
    async lastSettledHash(scheduleId: string, exceptRunId: string): Promise<string | null> {
      const row = await db.retrainRun.findFirst({
        where: {
          scheduleId,
          id: { not: exceptRunId },
          status: { in: SETTLED },
          snapshotId: { not: null },
        },
        orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
        select: { snapshot: { select: { contentHash: true } } },
      });
      return row?.snapshot?.contentHash ?? null;
    },
  };
}

export type RetrainRunRepository = ReturnType<typeof createRetrainRunRepository>;
