import type { MetricPointView } from '@retune/core';
import type { Db } from '../client';

export interface MetricPointInput {
  epoch: number;
  step: number;
  name: string;
  value: number;
}

export function createMetricRepository(db: Db) {
  return {
    /**
     * Writes a batch of points in one transaction. Idempotent on (trial, name, epoch, step):
     * a retried batch overwrites instead of duplicating. Non-finite values are skipped.
     */
    async write(
      trialId: string,
      points: MetricPointInput[],
    ): Promise<{ written: number; skipped: number }> {
      const finite = points.filter((p) => Number.isFinite(p.value));
      if (finite.length > 0) {
        await db.$transaction(
          finite.map((p) =>
            db.metricPoint.upsert({
              where: {
                trialId_name_epoch_step: { trialId, name: p.name, epoch: p.epoch, step: p.step },
              },
              create: { trialId, name: p.name, epoch: p.epoch, step: p.step, value: p.value },
              update: { value: p.value },
              select: { id: true },
            }),
          ),
        );
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
  };
}

export type MetricRepository = ReturnType<typeof createMetricRepository>;
