import { z } from 'zod';
import type { SearchSpace } from './search-space';

/**
 * `algorithm: gp | cmaes`: Optuna 5's GPSampler and CmaEsSampler, run by the sampler worker
 * (samplers/optuna, docs/samplers.md). Their options, and the spaces and specs they cannot
 * serve, which are launch errors here rather than trials sampled at random there.
 */
export const OPTUNA_ALGORITHMS = ['gp', 'cmaes'] as const;
export type OptunaAlgorithm = (typeof OPTUNA_ALGORITHMS)[number];
export const isOptunaAlgorithm = (a: string): a is OptunaAlgorithm =>
  (OPTUNA_ALGORITHMS as readonly string[]).includes(a);

export const gpOptionsSchema = z
  .object({
    nStartupTrials: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(10)
      .describe('Random trials before the Gaussian process takes over.'),
    deterministicObjective: z
      .boolean()
      .default(false)
      .describe('The metric has no noise: the GP fits through the points (Optuna: experimental).'),
  })
  .strict()
  .describe("GPSampler's settings (algorithm: gp); Optuna 5's defaults.");

export const cmaesOptionsSchema = z
  .object({
    nStartupTrials: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .default(1)
      .describe('Random trials before CMA-ES takes over.'),
    sigma0: z
      .number()
      .positive()
      .optional()
      .describe('Initial step size on the [0, 1]-scaled space (Optuna: 1/6 of it).'),
    populationSize: z
      .number()
      .int()
      .min(2)
      .max(10_000)
      .optional()
      .describe('Trials per generation (default 4 + ⌊3 ln d⌋).'),
    considerPrunedTrials: z
      .boolean()
      .default(false)
      .describe("Pruned trials count with their last reported value (Optuna's option)."),
    separable: z
      .boolean()
      .default(false)
      .describe('Separable CMA-ES: a diagonal covariance (cheaper in many dimensions).'),
    withMargin: z
      .boolean()
      .default(false)
      .describe('CMA-ES with margin: keeps int params from collapsing onto one value.'),
  })
  .strict()
  .describe("CmaEsSampler's settings (algorithm: cmaes); Optuna 5's defaults.");

export type GpOptions = z.output<typeof gpOptionsSchema>;
export type CmaesOptions = z.output<typeof cmaesOptionsSchema>;

interface SpecView {
  algorithm: string;
  searchSpace: SearchSpace;
  objectives: readonly unknown[];
  constraints: readonly unknown[];
  gp?: unknown;
  cmaes?: unknown;
}

/** Unconditional params with more than one value: what Optuna's samplers model jointly. */
function jointParams(space: SearchSpace, numericOnly: boolean): string[] {
  return Object.entries(space)
    .filter(([, p]) => !('when' in p && p.when))
    .filter(([, p]) => (p.type === 'choice' ? !numericOnly && p.values.length > 1 : p.max > p.min))
    .map(([name]) => name);
}

/** Launch errors of gp/cmaes specs (and their options set for another algorithm). */
export function optunaSamplerIssues(spec: SpecView): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  for (const a of OPTUNA_ALGORITHMS) {
    if (spec[a] !== undefined && spec.algorithm !== a) {
      issues.push({
        path: [a],
        message: `${a} options apply to algorithm: ${a} only: set algorithm: ${a} or remove ${a}`,
      });
    }
  }
  if (spec.algorithm === 'gp' && jointParams(spec.searchSpace, false).length === 0) {
    issues.push({
      path: ['searchSpace'],
      message:
        'gp models the unconditional params (conditional ones are sampled at random beside it) and this space has none with more than one value: use random or tpe',
    });
  }
  if (spec.algorithm !== 'cmaes') return issues;
  // Optuna 5's CmaEsSampler runs on one numeric param too; with none it would be random search.
  if (jointParams(spec.searchSpace, true).length === 0) {
    issues.push({
      path: ['searchSpace'],
      message:
        'cmaes searches the unconditional numeric params (int, uniform, loguniform) jointly; choices and conditional params are sampled at random beside it. This space has none: use gp or tpe',
    });
  }
  if (spec.objectives.length > 0) {
    issues.push({
      path: ['objectives'],
      message: 'cmaes optimises one metric: remove objectives or use gp or tpe',
    });
  }
  if (spec.constraints.length > 0) {
    issues.push({
      path: ['constraints'],
      message: 'cmaes does not learn outcome constraints: use gp or tpe, or remove constraints',
    });
  }
  return issues;
}
