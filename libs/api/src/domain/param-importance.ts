import { paramImportances, parseSweepSpec, type FrozenTrial, type SweepDetail } from '@retune/core';
import type { DomainDeps } from './deps';
import { getSweep } from './sweep-queries';

export interface ParamImportance {
  param: string;
  importance: number;
}

/**
 * How much each searched parameter explains the sweep metric (fANOVA main effects on a random
 * forest fitted to the completed trials). Empty until two trials have completed.
 */
export async function getParamImportance(
  deps: Pick<DomainDeps, 'repos'>,
  sweepId: string,
): Promise<ParamImportance[]> {
  return paramImportanceOf(await getSweep(deps, sweepId));
}

/** The same, for a sweep already loaded (the sweep page has it in hand). */
export function paramImportanceOf(sweep: SweepDetail): ParamImportance[] {
  const spec = parseSweepSpec(sweep.spec);
  const completed: FrozenTrial[] = sweep.trials
    .filter((t) => t.status === 'completed' && t.objective !== null)
    .map((t) => ({
      number: t.number,
      params: t.params,
      state: 'completed',
      values: [t.objective!],
      intermediate: {},
    }));
  if (completed.length < 2) return [];
  const shares = paramImportances(completed, spec.searchSpace, { seed: spec.seed });
  return Object.entries(shares).map(([param, importance]) => ({ param, importance }));
}
