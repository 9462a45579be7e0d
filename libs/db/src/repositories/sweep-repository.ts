import {
  isLiveSweep,
  type SweepDetail,
  type SweepSpec,
  type SweepStatus,
  type SweepSummary,
  type TrialCounts,
} from '@retune/core';
import type { Db } from '../client';
import { RowNotFoundError, rethrowNotFound } from '../errors';
import {
  emptyCounts,
  sweepSummarySelect,
  toSweepSummary,
  toTrialView,
  trialViewSelect,
} from './mappers';
import { chartTrials, sweepHeader, trialPage, type TrialPageQuery } from './sweep-trial-page';

export interface SweepFinishInput {
  status: 'completed' | 'cancelled' | 'failed';
  bestTrialId: string | null;
  bestValue: number | null;
  error?: string;
}

export function createSweepRepository(db: Db) {
  /** Trial counts by status and the GPU seconds the trials spent, per sweep. */
  async function countsFor(
    sweepIds: string[],
  ): Promise<Map<string, { counts: TrialCounts; gpuSeconds: number }>> {
    const out = new Map(sweepIds.map((id) => [id, { counts: emptyCounts(), gpuSeconds: 0 }]));
    if (sweepIds.length === 0) return out;
    const groups = await db.trial.groupBy({
      by: ['sweepId', 'status'],
      where: { sweepId: { in: sweepIds } },
      _count: { _all: true },
      _sum: { gpuSeconds: true },
    });
    for (const g of groups) {
      const sweep = out.get(g.sweepId);
      if (!sweep) continue;
      sweep.gpuSeconds += g._sum.gpuSeconds ?? 0;
      if (g.status in sweep.counts) sweep.counts[g.status as keyof TrialCounts] = g._count._all;
    }
    return out;
  }

  return {
    async create(input: {
      id: string;
      name: string;
      spec: SweepSpec;
      plannedTrials: number;
    }): Promise<SweepSummary> {
      const row = await db.sweep.create({
        data: {
          id: input.id,
          name: input.name,
          spec: input.spec as object,
          dataset: input.spec.dataset,
          baseModel: input.spec.baseModel,
          algorithm: input.spec.algorithm,
          status: 'queued',
          metricName: input.spec.metric.name,
          metricGoal: input.spec.metric.goal,
          plannedTrials: input.plannedTrials,
          gpuHoursBudget: input.spec.budget?.gpuHours ?? null,
        },
        select: sweepSummarySelect,
      });
      return toSweepSummary(row, emptyCounts());
    },

    async setWorkflowId(id: string, workflowId: string): Promise<void> {
      await db.sweep
        .update({ where: { id }, data: { workflowId }, select: { id: true } })
        .catch((e) => rethrowNotFound(e, 'sweep', id));
    },

    /** Idempotent: keeps the first start time and never revives a finished sweep. */
    async markRunning(id: string): Promise<void> {
      const sweep = await db.sweep.findUnique({
        where: { id },
        select: { status: true, startedAt: true },
      });
      if (!sweep) throw new RowNotFoundError('sweep', id);
      if (!isLiveSweep(sweep.status)) return;
      await db.sweep.update({
        where: { id },
        data: { status: 'running', startedAt: sweep.startedAt ?? new Date() },
        select: { id: true },
      });
    },

    /** Pause/resume and budget changes of a live sweep; a finished sweep is left alone. */
    async update(
      id: string,
      input: { status?: 'running' | 'paused'; plannedTrials?: number; gpuHoursBudget?: number },
    ): Promise<void> {
      const sweep = await db.sweep.findUnique({ where: { id }, select: { status: true } });
      if (!sweep) throw new RowNotFoundError('sweep', id);
      if (!isLiveSweep(sweep.status)) return;
      await db.sweep.update({
        where: { id },
        data: {
          ...(input.status ? { status: input.status } : {}),
          ...(input.plannedTrials !== undefined ? { plannedTrials: input.plannedTrials } : {}),
          ...(input.gpuHoursBudget !== undefined ? { gpuHoursBudget: input.gpuHoursBudget } : {}),
        },
        select: { id: true },
      });
    },

    /**
     * Makes `trialId` the sweep's best trial if `value` beats the current best, atomically, so
     * the dashboard shows the best value while the sweep runs. Returns whether it was taken.
     */
    async offerBest(id: string, trialId: string, value: number): Promise<boolean> {
      const sweep = await db.sweep.findUnique({ where: { id }, select: { metricGoal: true } });
      if (!sweep) throw new RowNotFoundError('sweep', id);
      const beats = sweep.metricGoal === 'minimize' ? { gt: value } : { lt: value };
      const { count } = await db.sweep.updateMany({
        where: { id, OR: [{ bestValue: null }, { bestValue: beats }] },
        data: { bestValue: value, bestTrialId: trialId },
      });
      return count === 1;
    },

    /** Idempotent: a retry after success changes nothing (finishedAt is kept). */
    async finish(id: string, input: SweepFinishInput): Promise<void> {
      const sweep = await db.sweep.findUnique({ where: { id }, select: { finishedAt: true } });
      if (!sweep) throw new RowNotFoundError('sweep', id);
      await db.sweep.update({
        where: { id },
        data: {
          status: input.status,
          bestTrialId: input.bestTrialId,
          bestValue: input.bestValue,
          error: input.error ?? null,
          finishedAt: sweep.finishedAt ?? new Date(),
        },
        select: { id: true },
      });
    },

    /**
     * Newest first; `search` keeps sweeps whose name contains it. `after` (the id of the last
     * sweep of the previous page) pages through any number of sweeps; a page shorter than
     * `limit` is the last.
     */
    async list(
      opts: { limit?: number; status?: SweepStatus; search?: string; after?: string } = {},
    ): Promise<SweepSummary[]> {
      const rows = await db.sweep.findMany({
        where: {
          ...(opts.status ? { status: opts.status } : {}),
          ...(opts.search ? { name: { contains: opts.search } } : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        ...(opts.after ? { cursor: { id: opts.after }, skip: 1 } : {}),
        take: Math.min(opts.limit ?? 100, 1000),
        select: sweepSummarySelect,
      });
      const counts = await countsFor(rows.map((r) => r.id));
      return rows.map((r) => {
        const { counts: c, gpuSeconds } = counts.get(r.id)!;
        return toSweepSummary(r, c, gpuSeconds);
      });
    },

    async get(id: string): Promise<SweepDetail | null> {
      const row = await db.sweep.findUnique({
        where: { id },
        select: {
          ...sweepSummarySelect,
          spec: true,
          dataset: true,
          baseModel: true,
          trials: { orderBy: { number: 'asc' }, select: trialViewSelect },
        },
      });
      if (!row) return null;
      const trials = row.trials.map(toTrialView);
      const counts = emptyCounts();
      let gpuSeconds = 0;
      for (const t of trials) {
        counts[t.status]++;
        gpuSeconds += t.gpuSeconds ?? 0;
      }
      return {
        ...toSweepSummary(row, counts, gpuSeconds),
        dataset: row.dataset,
        baseModel: row.baseModel,
        spec: row.spec,
        trials,
      };
    },

    /** The sweep's objective and trial count without loading its trials; null if unknown. */
    async objective(
      id: string,
    ): Promise<{ metricName: string; metricGoal: 'maximize' | 'minimize'; trials: number } | null> {
      const row = await db.sweep.findUnique({
        where: { id },
        select: { metricName: true, metricGoal: true, _count: { select: { trials: true } } },
      });
      if (!row) return null;
      return {
        metricName: row.metricName,
        metricGoal: row.metricGoal === 'minimize' ? 'minimize' : 'maximize',
        trials: row._count.trials,
      };
    },

    /** The sweep with counts and its best trial, without reading every trial. */
    header: (id: string) => sweepHeader(db, id),

    /** One sorted page of the sweep's trials (the dashboard's table and charts). */
    trialPage: (id: string, q?: TrialPageQuery) => trialPage(db, id, q),

    /** The best trials plus an even sample: what parallel coordinates and importance draw. */
    chartTrials: (id: string, opts: Parameters<typeof chartTrials>[2]) => chartTrials(db, id, opts),

    async exists(id: string): Promise<boolean> {
      return (await db.sweep.count({ where: { id } })) > 0;
    },
  };
}

export type SweepRepository = ReturnType<typeof createSweepRepository>;
