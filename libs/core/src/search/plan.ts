import type { SweepSpec } from '../spec/sweep-spec';
import { gridSize, GridError } from './grid';
import type { PrunerConfig } from '../spec/pruner-config';
import { createPruner, SuccessiveHalvingPruner } from './pruners';
import { createSampler } from './samplers';
import { Study } from './study';

/** Number of trials a spec will run. */
export function plannedTrialCount(spec: SweepSpec): number {
  if (spec.algorithm !== 'grid') return spec.maxTrials!;
  const size = gridSize(spec.searchSpace);
  if (spec.maxTrials !== undefined && size > spec.maxTrials) {
    throw new GridError(
      `maxTrials: the grid has ${size} points but maxTrials is ${spec.maxTrials}; raise maxTrials to ${size} or shrink the search space`,
    );
  }
  return size;
}

/** The study behind a sweep: its sampler from `algorithm`, its pruner from `earlyStopping`. */
export function createSweepStudy(spec: SweepSpec): Study {
  const sampler = createSampler(
    spec.algorithm === 'tpe' ? { type: 'tpe', ...spec.tpe } : { type: spec.algorithm },
  );
  return new Study({
    space: spec.searchSpace,
    directions: [spec.metric.goal, ...spec.objectives.map((o) => o.goal)],
    sampler,
    pruner: createPruner(spec.earlyStopping),
    seed: spec.seed,
  });
}

/** A grid runs exactly its points; random and TPE sweeps can be extended. */
export const budgetExtendable = (sweep: { algorithm: string }) => sweep.algorithm !== 'grid';

/**
 * The epochs (0-based) whose metric value the pruner needs, or 'all'. Successive halving looks
 * only at its rungs (after minResource·η^k epochs), so trials signal the workflow that rarely.
 */
export function reportEpochs(config: PrunerConfig, maxEpochs = 100_000): number[] | 'all' | null {
  if (config.type === 'nop') return null;
  if (config.type === 'median') return 'all';
  const epochs: number[] = [];
  const pruner = new SuccessiveHalvingPruner(config);
  for (let k = 0; pruner.rungStep(k) <= maxEpochs; k++) {
    epochs.push(Math.ceil(pruner.rungStep(k)) - 1);
  }
  return epochs;
}
