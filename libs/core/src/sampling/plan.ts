import type { Params } from '../spec/search-space';
import type { SweepSpec } from '../spec/sweep-spec';
import { expandGrid, gridSize, GridError } from './grid';
import { sampleRandomTrial } from './random';

/** Number of trials a spec will run. */
export function plannedTrialCount(spec: SweepSpec): number {
  if (spec.algorithm === 'random') return spec.maxTrials!;
  const size = gridSize(spec.searchSpace);
  if (spec.maxTrials !== undefined && size > spec.maxTrials) {
    throw new GridError(
      `maxTrials: the grid has ${size} points but maxTrials is ${spec.maxTrials}; raise maxTrials to ${size} or shrink the search space`,
    );
  }
  return size;
}

/**
 * Every trial's params, in trial-number order. Deterministic given the spec (and its seed),
 * which is what lets the workflow recompute them on replay.
 */
export function planTrials(spec: SweepSpec): Params[] {
  const count = plannedTrialCount(spec);
  const searched =
    spec.algorithm === 'grid'
      ? expandGrid(spec.searchSpace)
      : Array.from({ length: count }, (_, i) => sampleRandomTrial(spec.searchSpace, spec.seed, i));
  return searched.map((p) => ({ ...spec.fixed, ...p }));
}

/**
 * Params of any trial number, on demand: the workflow asks for trial N when a slot frees up
 * (and again after continue-as-new), so nothing requires the whole plan up front.
 * `budget` is how many trials the spec asks for (the grid size for grid search).
 */
export interface TrialPlanner {
  readonly budget: number;
  /** False when the budget cannot grow (a grid has a fixed number of points). */
  readonly extendable: boolean;
  paramsFor(number: number): Params;
}

export function createTrialPlanner(spec: SweepSpec): TrialPlanner {
  const budget = plannedTrialCount(spec);
  if (spec.algorithm === 'grid') {
    const grid = expandGrid(spec.searchSpace);
    return {
      budget,
      extendable: false,
      paramsFor: (n) => ({ ...spec.fixed, ...grid[n]! }),
    };
  }
  return {
    budget,
    extendable: true,
    paramsFor: (n) => ({ ...spec.fixed, ...sampleRandomTrial(spec.searchSpace, spec.seed, n) }),
  };
}
