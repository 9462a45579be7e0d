import type { MetricPointView, SweepDetail, SweepStatus, SweepSummary } from '@retune/core';
import type { DomainDeps } from './deps';
import { NotFoundError } from './errors';

export function listSweeps(
  deps: Pick<DomainDeps, 'repos'>,
  opts: { limit?: number; status?: SweepStatus; search?: string; after?: string } = {},
): Promise<SweepSummary[]> {
  return deps.repos.sweeps.list(opts);
}

export async function getSweep(deps: Pick<DomainDeps, 'repos'>, id: string): Promise<SweepDetail> {
  const sweep = await deps.repos.sweeps.get(id);
  if (!sweep) throw new NotFoundError(`sweep ${id}`);
  return sweep;
}

export async function getTrialMetrics(
  deps: Pick<DomainDeps, 'repos'>,
  trialId: string,
): Promise<MetricPointView[]> {
  if (!(await deps.repos.trials.get(trialId))) throw new NotFoundError(`trial ${trialId}`);
  return deps.repos.metrics.forTrial(trialId);
}
