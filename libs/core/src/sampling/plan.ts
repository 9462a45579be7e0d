import type { SweepSpec } from '../spec/sweep-spec';
import { gridSize, GridError } from './grid';
import { createPruner } from '../search/create-pruner';
import { SuccessiveHalvingPruner, type PrunerConfig } from '../search/pruners';
import { createSampler } from '../search/samplers';
import { Study } from '../search/study';

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

/**
 * The study behind a sweep: its sampler from `algorithm`, its pruner from `earlyStopping`.
 * Specs stored before `tpe`/`earlyStopping` existed (running workflows replay them) lack both.
 */
export function createSweepStudy(spec: SweepSpec): Study {
  const es = spec.earlyStopping;
  const sampler = createSampler(
    spec.algorithm === 'tpe'
      ? { type: 'tpe', ...spec.tpe }
      : spec.algorithm === 'bohb' && es?.type === 'hyperband'
        ? {
            ...spec.tpe,
            type: 'bohb',
            minResource: es.minResource,
            maxResource: es.maxResource,
            reductionFactor: es.reductionFactor,
          }
        : { type: spec.algorithm as 'grid' | 'random' },
  );
  return new Study({
    space: spec.searchSpace,
    // Sweeps recorded before multi-objective support have no objectives.
    directions: [spec.metric.goal, ...(spec.objectives ?? []).map((o) => o.goal)],
    sampler,
    pruner: createPruner(spec.earlyStopping ?? { type: 'nop' }),
    seed: spec.seed,
  });
}

/** A grid runs exactly its points; random and TPE sweeps can be extended. */
export const budgetExtendable = (sweep: { algorithm: string }) => sweep.algorithm !== 'grid';

/**
 * The epochs (0-based) whose metric value the pruner needs, or 'all'. Successive halving and
 * Hyperband look only at their rungs (after minResource·η^k epochs), so trials signal the workflow that rarely.
 */
export function reportEpochs(config: PrunerConfig, maxEpochs = 100_000): number[] | 'all' | null {
  if (config.type === 'nop') return null;
  if (config.type === 'median') return 'all';
  const epochs: number[] = [];
  // Hyperband's brackets start at later rungs of the same ladder minResource·η^k.
  const pruner =
    config.type === 'hyperband'
      ? new SuccessiveHalvingPruner({
          minResource: config.minResource,
          reductionFactor: config.reductionFactor,
        })
      : new SuccessiveHalvingPruner(config);
  const last = config.type === 'hyperband' ? Math.min(maxEpochs, config.maxResource) : maxEpochs;
  for (let k = 0; pruner.rungStep(k) <= last; k++) {
    epochs.push(Math.ceil(pruner.rungStep(k)) - 1);
  }
  return epochs;
}
