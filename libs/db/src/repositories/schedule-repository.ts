import type { RetrainScheduleSpec, RetrainScheduleView } from '@retune/core';
import { OVERLAP_POLICIES, RETRAIN_POLICIES } from '@retune/core';
import type { Db } from '../client';

const select = {
  id: true,
  name: true,
  task: true,
  spec: true,
  policy: true,
  cron: true,
  intervalSeconds: true,
  timezone: true,
  overlapPolicy: true,
  catchupWindowSeconds: true,
  promoteMargin: true,
  webhookUrl: true,
  paused: true,
  temporalScheduleId: true,
  createdAt: true,
  updatedAt: true,
} as const;

type Row = Omit<
  RetrainScheduleView,
  'spec' | 'policy' | 'overlapPolicy' | 'createdAt' | 'updatedAt'
> & { spec: unknown; policy: string; overlapPolicy: string; createdAt: Date; updatedAt: Date };

const oneOf = <T extends string>(values: readonly T[], v: string, fallback: T): T =>
  (values as readonly string[]).includes(v) ? (v as T) : fallback;

function toView(row: Row): RetrainScheduleView {
  return {
    ...row,
    spec: (row.spec ?? {}) as Record<string, unknown>,
    policy: oneOf(RETRAIN_POLICIES, row.policy, 'retrain-champion'),
    overlapPolicy: oneOf(OVERLAP_POLICIES, row.overlapPolicy, 'skip'),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The columns a schedule spec sets (everything but identity and timestamps). */
export function scheduleColumns(s: RetrainScheduleSpec) {
  return {
    name: s.name,
    task: s.task,
    spec: s.spec as object,
    policy: s.policy,
    cron: s.cron ?? null,
    intervalSeconds: s.intervalSeconds ?? null,
    timezone: s.timezone,
    overlapPolicy: s.overlapPolicy,
    catchupWindowSeconds: s.catchupWindowSeconds,
    promoteMargin: s.promoteMargin,
    webhookUrl: s.webhookUrl ?? null,
    paused: s.paused,
  };
}

/** RetrainSchedule rows; each owns one Temporal Schedule (temporalScheduleId). */
export function createScheduleRepository(db: Db) {
  return {
    async create(input: {
      id: string;
      temporalScheduleId: string;
      spec: RetrainScheduleSpec;
    }): Promise<RetrainScheduleView> {
      const row = await db.retrainSchedule.create({
        data: {
          id: input.id,
          temporalScheduleId: input.temporalScheduleId,
          ...scheduleColumns(input.spec),
        },
        select,
      });
      return toView(row);
    },

    async update(id: string, spec: RetrainScheduleSpec): Promise<RetrainScheduleView> {
      return toView(
        await db.retrainSchedule.update({ where: { id }, data: scheduleColumns(spec), select }),
      );
    },

    async setPaused(id: string, paused: boolean): Promise<RetrainScheduleView> {
      return toView(await db.retrainSchedule.update({ where: { id }, data: { paused }, select }));
    },

    async get(id: string): Promise<RetrainScheduleView | null> {
      const row = await db.retrainSchedule.findUnique({ where: { id }, select });
      return row ? toView(row) : null;
    },

    async findByName(name: string): Promise<RetrainScheduleView | null> {
      const row = await db.retrainSchedule.findUnique({ where: { name }, select });
      return row ? toView(row) : null;
    },

    async list(): Promise<RetrainScheduleView[]> {
      const rows = await db.retrainSchedule.findMany({ orderBy: { createdAt: 'asc' }, select });
      return rows.map(toView);
    },

    /** Deletes the schedule and (cascade) its runs; false when it did not exist. */
    async delete(id: string): Promise<boolean> {
      const { count } = await db.retrainSchedule.deleteMany({ where: { id } });
      return count > 0;
    },
  };
}

export type ScheduleRepository = ReturnType<typeof createScheduleRepository>;
