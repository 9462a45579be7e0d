import type { Params } from '@retune/core';
import type { Db } from '../client';

/** A finished trial of an earlier sweep, as a warm start feeds it to a sampler. */
export interface PriorTrial {
  sweepId: string;
  params: Params;
  objective: number;
  /** Everything the trainer's result reported (extra objectives are looked up here). */
  values: Record<string, number>;
}

export interface WarmStartQuery {
  /** The sweep being warm-started: never its own source. */
  sweepId: string;
  /** Explicit source sweeps; without them, earlier sweeps on the same task. */
  sweepIds?: string[];
  dataset: string;
  baseModel: string;
  metricName: string;
  limit: number;
}

/** Reads for warm starts: completed trials of earlier sweeps, newest first. */
export function createWarmStartRepository(db: Db) {
  return {
    async priorTrials(q: WarmStartQuery): Promise<PriorTrial[]> {
      const rows = await db.trial.findMany({
        where: {
          status: 'completed',
          objective: { not: null },
          sweepId: { not: q.sweepId },
          sweep: q.sweepIds
            ? { id: { in: q.sweepIds }, metricName: q.metricName }
            : { dataset: q.dataset, baseModel: q.baseModel, metricName: q.metricName },
        },
        select: { sweepId: true, params: true, objective: true, values: true },
        orderBy: [{ finishedAt: 'desc' }, { id: 'asc' }],
        take: q.limit,
      });
      return rows.map((r) => ({
        sweepId: r.sweepId,
        params: r.params as Params,
        objective: r.objective!,
        values: (r.values ?? {}) as Record<string, number>,
      }));
    },
  };
}

export type WarmStartRepository = ReturnType<typeof createWarmStartRepository>;
