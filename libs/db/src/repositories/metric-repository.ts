import { addToCurve, type CurveBudget, type MetricPointView } from '@retune/core';
import type { Db } from '../client';
import { Prisma } from '../generated/sqlite/client';
import { thinnedCurvesSql } from './thinned-curves-sql';

/** Points per INSERT: 6 parameters each stays far below every driver's parameter limit. */
const UPSERT_CHUNK = 500;

export interface MetricPointInput {
  epoch: number;
  step: number;
  name: string;
  value: number;
}

/** One metric of one trial as parallel arrays (compact for thousands of curves). */
export interface TrialCurve {
  trialId: string;
  epochs: number[];
  values: number[];
}

/** A metric point with the trial it belongs to. */
export interface TrialMetricPoint extends MetricPointView {
  trialId: string;
}

export function createMetricRepository(db: Db) {
  return {
    /**
     * Writes a batch of points. Idempotent on (trial, name, epoch, step): a retried batch
     * overwrites instead of duplicating. Non-finite values are skipped.
     */
    async write(
      trialId: string,
      points: MetricPointInput[],
    ): Promise<{ written: number; skipped: number }> {
      const finite = points.filter((p) => Number.isFinite(p.value));
      // One multi-row upsert per chunk instead of one statement per point: the same SQL on
      // SQLite and PostgreSQL (ON CONFLICT on the unique (trial, name, epoch, step) index).
      // createdAt is written as Prisma itself writes it (ISO with offset), not left to the
      // database default, whose SQLite text format differs.
      const createdAt = new Date().toISOString().replace('Z', '+00:00');
      for (let i = 0; i < finite.length; i += UPSERT_CHUNK) {
        const rows = finite
          .slice(i, i + UPSERT_CHUNK)
          .map(
            (p) =>
              Prisma.sql`(${trialId}, ${p.name}, ${p.epoch}, ${p.step}, ${p.value}, ${createdAt})`,
          );
        await db.$executeRaw`
          INSERT INTO "MetricPoint" ("trialId", "name", "epoch", "step", "value", "createdAt")
          VALUES ${Prisma.join(rows)}
          ON CONFLICT ("trialId", "name", "epoch", "step") DO UPDATE SET "value" = excluded."value"`;
      }
      return { written: finite.length, skipped: points.length - finite.length };
    },

    /** All points of a trial, ordered for plotting (served by the (trialId, epoch, step) index). */
    async forTrial(trialId: string): Promise<MetricPointView[]> {
      return db.metricPoint.findMany({
        where: { trialId },
        orderBy: [{ epoch: 'asc' }, { step: 'asc' }, { name: 'asc' }],
        select: { epoch: true, step: true, name: true, value: true },
      });
    },

    /**
     * One metric of a sweep's trials, per epoch (an epoch's last step), thinned in SQL to
     * `budget.pointsPerCurve` points per trial: the epochs nearest at or after evenly spaced
     * targets between the trial's first and last epoch (core's curveTargetEpochs), so first
     * and last are always kept and pruned trials are spaced over their own span. Only the best
     * `budget.curves` trials by objective (`goal`) get a curve. Every point is a few seeks in
     * the (trialId, name, epoch, step) index: a sweep's millions of points are never read.
     */
    async curvesForSweep(
      sweepId: string,
      name: string,
      budget: CurveBudget,
      goal: 'maximize' | 'minimize',
    ): Promise<TrialCurve[]> {
      if (budget.curves <= 0) return [];
      const rows = await db.$queryRaw<{ trialId: string; epoch: number | bigint; value: number }[]>(
        thinnedCurvesSql(sweepId, name, budget, goal),
      );
      const byTrial = new Map<string, TrialCurve>();
      for (const r of rows) {
        const c = byTrial.get(r.trialId) ?? { trialId: r.trialId, epochs: [], values: [] };
        byTrial.set(r.trialId, c);
        addToCurve(c, { epoch: Number(r.epoch), value: Number(r.value) });
      }
      return [...byTrial.values()];
    },

    /** All points of a few trials (compare page, exports). */
    async forTrials(trialIds: string[]): Promise<TrialMetricPoint[]> {
      if (trialIds.length === 0) return [];
      return db.metricPoint.findMany({
        where: { trialId: { in: trialIds } },
        orderBy: [{ trialId: 'asc' }, { epoch: 'asc' }, { step: 'asc' }, { name: 'asc' }],
        select: { trialId: true, epoch: true, step: true, name: true, value: true },
      });
    },
  };
}

export type MetricRepository = ReturnType<typeof createMetricRepository>;
