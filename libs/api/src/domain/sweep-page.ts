import type { SweepHeader, TrialPageQuery } from '@retune/db';
import type { TrialView } from '@retune/core';
import type { DomainDeps } from './deps';
import { NotFoundError } from './errors';

/** The sweep page's header: the sweep, its counts and best trial, none of its other trials. */
export async function getSweepOverview(
  deps: Pick<DomainDeps, 'repos'>,
  id: string,
): Promise<SweepHeader> {
  const sweep = await deps.repos.sweeps.header(id);
  if (!sweep) throw new NotFoundError(`sweep ${id}`);
  return sweep;
}

/** A page of a sweep's trials sorted on the server, with how many there are in all. */
export async function getTrialPage(
  deps: Pick<DomainDeps, 'repos'>,
  id: string,
  q: TrialPageQuery,
): Promise<{ total: number; trials: TrialView[] }> {
  if (!(await deps.repos.sweeps.exists(id))) throw new NotFoundError(`sweep ${id}`);
  return deps.repos.sweeps.trialPage(id, q);
}

/** Best scored trials and an even sample of the rest, for the sweep page's charts. */
export const CHART_BEST = 500;
export const CHART_SAMPLE = 500;

export async function getChartTrials(
  deps: Pick<DomainDeps, 'repos'>,
  id: string,
): Promise<TrialView[]> {
  const sweep = await deps.repos.sweeps.objective(id);
  if (!sweep) throw new NotFoundError(`sweep ${id}`);
  return deps.repos.sweeps.chartTrials(id, {
    goal: sweep.metricGoal,
    best: CHART_BEST,
    sample: CHART_SAMPLE,
  });
}
