/** The plug-in interfaces of the sweep engine (Optuna-like, but pure and replay-deterministic). */
import type { Params, SearchSpace } from '../spec/search-space';
import type { MetricGoal } from '../spec/sweep-spec';

export type TrialState = 'running' | 'completed' | 'pruned' | 'failed';

/** A snapshot of one trial, as samplers and pruners see it. */
export interface FrozenTrial {
  readonly number: number;
  readonly params: Readonly<Params>;
  readonly state: TrialState;
  /** One value per objective for a completed trial; null otherwise (a pruned trial may carry its last value). */
  readonly values: readonly number[] | null;
  /** step (epoch) → value of the first objective, as reported while the trial ran. */
  readonly intermediate: Readonly<Record<number, number>>;
  /** How far a completed trial is off the outcome constraints (absent or 0: feasible). */
  readonly violation?: number;
}

/** A completed trial that breaks an outcome constraint. */
export const isInfeasible = (t: Pick<FrozenTrial, 'violation'>) => (t.violation ?? 0) > 0;

export interface SampleContext {
  readonly space: SearchSpace;
  /** Every trial so far, in number order (running ones included; samplers pick what they use). */
  readonly trials: readonly FrozenTrial[];
  /** The number of the trial being sampled. */
  readonly number: number;
  readonly directions: readonly MetricGoal[];
  readonly seed: number;
  /**
   * Completed trials of earlier sweeps (warm start), numbered -1, -2, … Samplers that learn from
   * history (TPE) use them like their own trials; grid and random ignore them.
   */
  readonly priors?: readonly FrozenTrial[];
}

/**
 * Proposes the params of a trial. Must be a pure function of its context (derive randomness with
 * `deriveSeed(seed, number)`), so a replayed workflow gets exactly the same params.
 */
export interface Sampler {
  sample(ctx: SampleContext): Params;
}

/** Decides whether a running trial should stop after reporting `step`. Pure, like a sampler. */
export interface Pruner {
  shouldPrune(
    trial: FrozenTrial,
    step: number,
    trials: readonly FrozenTrial[],
    direction: MetricGoal,
  ): boolean;
}

/** The reported steps of a trial, ascending. */
export function reportedSteps(trial: Pick<FrozenTrial, 'intermediate'>): number[] {
  return Object.keys(trial.intermediate)
    .map(Number)
    .sort((a, b) => a - b);
}

/** The last reported (step, value), or null when nothing was reported. */
export function lastIntermediate(
  trial: Pick<FrozenTrial, 'intermediate'>,
): { step: number; value: number } | null {
  const steps = reportedSteps(trial);
  const step = steps[steps.length - 1];
  return step === undefined ? null : { step, value: trial.intermediate[step]! };
}
