import type { MetricGoal } from '../spec/sweep-spec';
import { prunerConfigSchema, type PrunerConfig } from '../spec/pruner-config';
import type { ConfigurablePruner } from './pruners';
import { reportedSteps, type FrozenTrial } from './types';

/** Linear-interpolated percentile of the non-NaN values (numpy's default), NaN for none. */
function percentile(values: readonly number[], q: number): number {
  const xs = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (xs.length === 0) return NaN;
  const pos = (q / 100) * (xs.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return xs[lo]! + (xs[hi]! - xs[lo]!) * (pos - lo);
}

/**
 * Optuna's MedianPruner: after `nStartupTrials` completed trials and `nWarmupSteps`, at the first
 * report of each `intervalSteps` window, prune when the trial's best intermediate value so far is
 * worse than the median of the completed trials' values at the same step (at least `nMinTrials`
 * of them must have reported that step). Pruned, failed and running trials are not compared with.
 */
export class MedianPruner implements ConfigurablePruner {
  readonly nStartupTrials: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;
  readonly nMinTrials: number;

  constructor(
    opts: {
      nStartupTrials?: number;
      nWarmupSteps?: number;
      intervalSteps?: number;
      nMinTrials?: number;
    } = {},
  ) {
    const c = prunerConfigSchema.parse({ type: 'median', ...opts }) as Extract<
      PrunerConfig,
      { type: 'median' }
    >;
    this.nStartupTrials = c.nStartupTrials;
    this.nWarmupSteps = c.nWarmupSteps;
    this.intervalSteps = c.intervalSteps;
    this.nMinTrials = c.nMinTrials;
  }

  toJSON(): PrunerConfig {
    const { nStartupTrials, nWarmupSteps, intervalSteps, nMinTrials } = this;
    return { type: 'median', nStartupTrials, nWarmupSteps, intervalSteps, nMinTrials };
  }

  shouldPrune(
    trial: FrozenTrial,
    step: number,
    trials: readonly FrozenTrial[],
    direction: MetricGoal,
  ): boolean {
    const steps = reportedSteps(trial).filter((s) => s <= step);
    if (steps.length === 0 || trial.intermediate[step] === undefined) return false;
    if (step < this.nWarmupSteps) return false;
    // Only at the first report in each interval window (Optuna's _is_first_in_interval_step).
    const windowStart =
      Math.floor((step - this.nWarmupSteps) / this.intervalSteps) * this.intervalSteps +
      this.nWarmupSteps;
    const secondLast = steps.length > 1 ? steps[steps.length - 2]! : -1;
    if (secondLast >= windowStart) return false;
    const completed = trials.filter((t) => t.state === 'completed' && t.number !== trial.number);
    if (completed.length === 0 || completed.length < this.nStartupTrials) return false;
    const atStep = completed
      .map((t) => t.intermediate[step])
      .filter((v): v is number => v !== undefined && !Number.isNaN(v));
    if (atStep.length < this.nMinTrials) return false;
    const median = percentile(atStep, 50);
    const own = steps.map((s) => trial.intermediate[s]!).filter((v) => !Number.isNaN(v));
    if (own.length === 0) return true; // only NaN reported: nothing to keep going for
    const best = direction === 'maximize' ? Math.max(...own) : Math.min(...own);
    return direction === 'maximize' ? best < median : best > median;
  }
}
