import { addToCurve, type MetricPointView } from '@retune/core';
import type { Db } from '../client';
import { Prisma } from '../generated/sqlite/client';

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
     * One metric of every trial of a sweep, per epoch (an epoch's last step), about
     * `maxPointsPerTrial` points per trial: every k-th epoch plus the sweep's last epoch, chosen
     * in SQL so a 1,000-trial sweep never materialises all its points. Raw SQL (portable to
     * SQLite and PostgreSQL) because mapping 100k rows through the query engine costs more than
     * the query; served by the (trialId, name, epoch, step) index.
     */
    async curvesForSweep(
      sweepId: string,
      name: string,
      maxPointsPerTrial: number,
    ): Promise<TrialCurve[]> {
      // Per trial, the last epoch is one index seek; the max over trials picks the stride.
      const [span] = await db.$queryRaw<{ maxEpoch: number | bigint | null }[]>`
        SELECT MAX((SELECT MAX(m."epoch") FROM "MetricPoint" m
                    WHERE m."trialId" = t."id" AND m."name" = ${name})) AS "maxEpoch"
        FROM "Trial" t WHERE t."sweepId" = ${sweepId}`;
      if (span?.maxEpoch === null || span?.maxEpoch === undefined) return [];
      const maxEpoch = Number(span.maxEpoch);
      const stride = Math.max(1, Math.ceil((maxEpoch + 1) / Math.max(maxPointsPerTrial, 1)));
      const rows = await db.$queryRaw<
        { trialId: string; epoch: number | bigint; step: number | bigint; value: number }[]
      >`
        SELECT m."trialId", m."epoch", m."step", m."value"
        FROM "MetricPoint" m JOIN "Trial" t ON t."id" = m."trialId"
        WHERE t."sweepId" = ${sweepId} AND m."name" = ${name}
          AND (m."epoch" % ${stride} = 0 OR m."epoch" = ${maxEpoch})`;
      const byTrial = new Map<string, { epoch: number; step: number; value: number }[]>();
      for (const r of rows) {
        const list = byTrial.get(r.trialId) ?? [];
        byTrial.set(r.trialId, list);
        list.push({ epoch: Number(r.epoch), step: Number(r.step), value: Number(r.value) });
      }
      const curves: TrialCurve[] = [];
      for (const [trialId, points] of byTrial) {
        points.sort((a, b) => a.epoch - b.epoch || a.step - b.step);
        const c: TrialCurve = { trialId, epochs: [], values: [] };
        for (const p of points) addToCurve(c, p);
        curves.push(c);
      }
      return curves.sort((a, b) => (a.trialId < b.trialId ? -1 : a.trialId > b.trialId ? 1 : 0));
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
