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
