import type { SweepSpec } from '../spec/sweep-spec';
import { gridSize, GridError } from './grid';
import type { PrunerConfig } from '../spec/pruner-config';
import { createPruner } from './create-pruner';
import { SuccessiveHalvingPruner } from './successive-halving-pruner';
import { pbtConfigOf, pbtEpochs } from '../spec/pbt-config';
import { pbtTrialCount } from './pbt';
import { createSampler } from './samplers';
import { Study } from './study';

/** The trial cap of a sweep bounded by its GPU-time budget alone (maxTrials' own maximum). */
export const TRIAL_CAP_UNDER_GPU_BUDGET = 100_000;

/** Number of trials a spec will run (at most, when a GPU-time budget may stop it sooner). */
export function plannedTrialCount(spec: SweepSpec): number {
  if (spec.algorithm === 'pbt') return pbtTrialCount(pbtEpochs(spec.fixed), pbtConfigOf(spec));
  if (spec.algorithm !== 'grid') return spec.maxTrials ?? TRIAL_CAP_UNDER_GPU_BUDGET;
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
        : spec.algorithm === 'gp' || spec.algorithm === 'cmaes'
          ? {
              type: 'optuna',
              algorithm: spec.algorithm,
              options: spec[spec.algorithm] ?? {},
              constrained: spec.constraints.length > 0,
            }
          : // pbt draws its first population at random; later params are its own (Study.askWith).
            { type: spec.algorithm === 'pbt' ? 'random' : (spec.algorithm as 'grid' | 'random') },
  );
  return new Study({
    space: spec.searchSpace,
    directions: [spec.metric.goal, ...spec.objectives.map((o) => o.goal)],
    sampler,
    pruner: createPruner(spec.earlyStopping),
    seed: spec.seed,
  });
}

/** A grid runs exactly its points, pbt its population's intervals; random and TPE can be extended. */
export const budgetExtendable = (sweep: { algorithm: string }) =>
  sweep.algorithm !== 'grid' && sweep.algorithm !== 'pbt';

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
