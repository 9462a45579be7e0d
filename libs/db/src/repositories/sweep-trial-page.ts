import type { SweepSummary, TrialView } from '@retune/core';
import type { Db } from '../client';
import {
  emptyCounts,
  sweepSummarySelect,
  toSweepSummary,
  toTrialView,
  trialViewSelect,
} from './mappers';

/** Columns the trials table may sort by on the server. */
export const TRIAL_SORT_KEYS = [
  'number',
  'objective',
  'status',
  'startedAt',
  'finishedAt',
  'gpuSeconds',
] as const;
export type TrialSortKey = (typeof TRIAL_SORT_KEYS)[number];

export interface TrialPageQuery {
  sort?: TrialSortKey;
  dir?: 'asc' | 'desc';
  offset?: number;
  limit?: number;
  /** Only trials with an objective (the ones a chart of results can draw). */
  scoredOnly?: boolean;
  /** Only these trials (e.g. the ones a chart of curves shows). */
  ids?: string[];
}

/** A sweep without its trials: what the page header needs, with counts taken in SQL. */
export type SweepHeader = SweepSummary & {
  dataset: string;
  baseModel: string;
  spec: unknown;
  best: TrialView | null;
};

export const MAX_TRIAL_PAGE = 1000;

export async function sweepHeader(db: Db, id: string): Promise<SweepHeader | null> {
  const row = await db.sweep.findUnique({
    where: { id },
    select: { ...sweepSummarySelect, spec: true, dataset: true, baseModel: true },
  });
  if (!row) return null;
  const groups = await db.trial.groupBy({
    by: ['status'],
    where: { sweepId: id },
    _count: { _all: true },
    _sum: { gpuSeconds: true },
  });
  const counts = emptyCounts();
  let gpuSeconds = 0;
  for (const g of groups) {
    gpuSeconds += g._sum.gpuSeconds ?? 0;
    if (g.status in counts) counts[g.status as keyof typeof counts] = g._count._all;
  }
  const best = row.bestTrialId
    ? await db.trial.findUnique({ where: { id: row.bestTrialId }, select: trialViewSelect })
    : null;
  return {
    ...toSweepSummary(row, counts, gpuSeconds),
    dataset: row.dataset,
    baseModel: row.baseModel,
    spec: row.spec,
    best: best ? toTrialView(best) : null,
  };
}

/**
 * One page of a sweep's trials, sorted and cut in SQL. Nulls (no objective yet, not started)
 * sort last whatever the direction; ties keep trial-number order so pages never overlap.
 */
export async function trialPage(
  db: Db,
  sweepId: string,
  q: TrialPageQuery = {},
): Promise<{ total: number; trials: TrialView[] }> {
  const sort = q.sort ?? 'number';
  const dir = q.dir ?? 'asc';
  const where = {
    sweepId,
    ...(q.scoredOnly ? { objective: { not: null } } : {}),
    ...(q.ids ? { id: { in: q.ids } } : {}),
  };
  const nullable = sort !== 'number' && sort !== 'status';
  const first = nullable ? { [sort]: { sort: dir, nulls: 'last' } } : { [sort]: dir };
  const [total, rows] = await Promise.all([
    db.trial.count({ where }),
    db.trial.findMany({
      where,
      orderBy: sort === 'number' ? [first] : [first, { number: 'asc' }],
      skip: Math.max(0, q.offset ?? 0),
      take: Math.min(Math.max(1, q.limit ?? 100), MAX_TRIAL_PAGE),
      select: trialViewSelect,
    }),
  ]);
  return { total, trials: rows.map(toTrialView) };
}

/**
 * The trials a chart of results draws for a large sweep: the `best` best scored trials and up to
 * `sample` more spread evenly over trial numbers, so the chart shows both the top and the whole
 * range without reading every trial. Sorted by number; all scored trials when they fit.
 */
export async function chartTrials(
  db: Db,
  sweepId: string,
  opts: { goal: 'maximize' | 'minimize'; best: number; sample: number },
): Promise<TrialView[]> {
  const scored = { sweepId, objective: { not: null } };
  const [top, last] = await Promise.all([
    db.trial.findMany({
      where: scored,
      orderBy: [{ objective: opts.goal === 'maximize' ? 'desc' : 'asc' }, { number: 'asc' }],
      take: opts.best,
      select: trialViewSelect,
    }),
    db.trial.findFirst({
      where: { sweepId },
      orderBy: { number: 'desc' },
      select: { number: true },
    }),
  ]);
  const spread = evenNumbers((last?.number ?? -1) + 1, opts.sample);
  const sampled =
    top.length < opts.best || spread.length === 0
      ? []
      : await db.trial.findMany({
          where: { ...scored, number: { in: spread } },
          select: trialViewSelect,
        });
  const byId = new Map([...top, ...sampled].map((r) => [r.id, r]));
  return [...byId.values()].map(toTrialView).sort((a, b) => a.number - b.number);
}

/** Up to `k` trial numbers spread evenly over 0..count-1. */
export function evenNumbers(count: number, k: number): number[] {
  if (count <= 0 || k <= 0) return [];
  if (count <= k) return Array.from({ length: count }, (_, i) => i);
  return Array.from({ length: k }, (_, i) => Math.floor((i * count) / k));
}
