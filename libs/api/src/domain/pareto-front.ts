import {
  isInfeasibleTrial,
  objectiveValues,
  paretoFront,
  parseSweepSpec,
  type FrozenTrial,
  type MetricGoal,
  type SweepDetail,
} from '@retune/core';
import type { DomainDeps } from './deps';
import { getSweep } from './sweep-queries';

export interface ParetoView {
  /** The sweep metric first, then the spec's extra objectives. */
  objectives: { name: string; goal: MetricGoal }[];
  /**
   * Completed trials with a value for every objective; `onFront` marks the non-dominated ones
   * among the feasible (an infeasible trial, off an outcome constraint, is never on the front).
   */
  points: {
    trialId: string;
    number: number;
    values: number[];
    onFront: boolean;
    infeasible?: boolean;
  }[];
}

/**
 * The trade-off of a multi-objective sweep: every completed trial's objective values and which
 * of them no other trial beats on all objectives. A single-objective sweep has one objective and
 * its best trial(s) on the front.
 */
export function paretoOf(sweep: SweepDetail): ParetoView {
  const spec = parseSweepSpec(sweep.spec);
  const objectives = [spec.metric, ...spec.objectives];
  const directions = objectives.map((o) => o.goal);
  const frozen: (FrozenTrial & { id: string; infeasible: boolean })[] = [];
  for (const t of sweep.trials) {
    if (t.status !== 'completed' || t.objective === null) continue;
    const values = objectiveValues(t.objective, t.values, spec.objectives);
    if (!values || !Number.isFinite(t.objective)) continue;
    frozen.push({
      id: t.id,
      number: t.number,
      params: t.params,
      state: 'completed',
      values,
      intermediate: {},
      infeasible: isInfeasibleTrial(t, spec.constraints),
    });
  }
  const feasible = frozen.filter((t) => !t.infeasible);
  const front = new Set(paretoFront(feasible, directions).map((t) => t.number));
  return {
    objectives,
    points: frozen.map((t) => ({
      trialId: t.id,
      number: t.number,
      values: [...t.values!],
      onFront: front.has(t.number),
      ...(t.infeasible ? { infeasible: true } : {}),
    })),
  };
}

export async function getParetoFront(
  deps: Pick<DomainDeps, 'repos'>,
  sweepId: string,
): Promise<ParetoView> {
  return paretoOf(await getSweep(deps, sweepId));
}
