import type { MetricGoal } from '../spec/sweep-spec';
import { prunerConfigSchema, type PrunerConfig } from '../spec/pruner-config';
import type { ConfigurablePruner } from './pruners';
import { reportedSteps, type FrozenTrial } from './types';

/**
 * Asynchronous successive halving (ASHA, as Optuna's SuccessiveHalvingPruner). Rung k sits at
 * step minResource·η^(s+k). A trial "reached" rung k when it reported a step ≥ that; its value
 * at the rung is the one reported at the first such step. When a trial's report crosses rungs,
 * each crossed rung is checked in turn: the trial goes on only if its value is within the top
 * max(1, ⌊n/η⌋) of the n values recorded at that rung (every other trial that reached it, in any
 * state, plus this one), so the first trial at a rung always goes on and, with fewer than η there,
 * only the best does. A NaN value is pruned at once. This reconstructs Optuna's per-rung system
 * attributes from the reported steps, and matches it when the pruner is asked after each report.
 */
export class SuccessiveHalvingPruner implements ConfigurablePruner {
  readonly minResource: number;
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;

  constructor(
    opts: { minResource?: number; reductionFactor?: number; minEarlyStoppingRate?: number } = {},
  ) {
    const c = prunerConfigSchema.parse({ type: 'successiveHalving', ...opts }) as Extract<
      PrunerConfig,
      { type: 'successiveHalving' }
    >;
    this.minResource = c.minResource;
    this.reductionFactor = c.reductionFactor;
    this.minEarlyStoppingRate = c.minEarlyStoppingRate;
  }

  toJSON(): PrunerConfig {
    const { minResource, reductionFactor, minEarlyStoppingRate } = this;
    return { type: 'successiveHalving', minResource, reductionFactor, minEarlyStoppingRate };
  }

  /** The step of rung k. */
  rungStep(k: number): number {
    return this.minResource * this.reductionFactor ** (this.minEarlyStoppingRate + k);
  }

  /** The value `trial` recorded at rung k, or undefined when it never reached it. */
  rungValue(trial: FrozenTrial, k: number): number | undefined {
    const at = this.rungStep(k);
    const first = reportedSteps(trial).find((s) => s >= at);
    return first === undefined ? undefined : trial.intermediate[first];
  }

  shouldPrune(
    trial: FrozenTrial,
    step: number,
    trials: readonly FrozenTrial[],
    direction: MetricGoal,
  ): boolean {
    const value = trial.intermediate[step];
    if (value === undefined) return false;
    const earlier = reportedSteps(trial).filter((s) => s < step);
    const previous = earlier.length > 0 ? earlier[earlier.length - 1]! : -Infinity;
    for (let k = 0; this.rungStep(k) <= step; k++) {
      if (this.rungStep(k) <= previous) continue; // passed this rung at an earlier report
      if (Number.isNaN(value)) return true;
      const competing = [value];
      for (const t of trials) {
        if (t.number === trial.number) continue;
        const v = this.rungValue(t, k);
        if (v !== undefined) competing.push(v);
      }
      if (!promotable(value, competing, this.reductionFactor, direction)) return true;
    }
    return false;
  }
}

function promotable(
  value: number,
  competing: number[],
  reductionFactor: number,
  direction: MetricGoal,
): boolean {
  const idx = Math.max(0, Math.floor(competing.length / reductionFactor) - 1);
  // NaN sorts as the worst value.
  const sorted = competing
    .map((v) => (Number.isNaN(v) ? (direction === 'maximize' ? -Infinity : Infinity) : v))
    .sort((a, b) => a - b);
  return direction === 'maximize'
    ? value >= sorted[sorted.length - 1 - idx]!
    : value <= sorted[idx]!;
}
