import { deriveSeed } from './prng';
import type { MetricGoal } from '../spec/sweep-spec';
import { prunerConfigSchema, type PrunerConfig } from '../spec/pruner-config';
import type { ConfigurablePruner } from './pruners';
import { SuccessiveHalvingPruner } from './successive-halving-pruner';
import type { FrozenTrial } from './types';

type HyperbandConfig = Extract<PrunerConfig, { type: 'hyperband' }>;

/**
 * Hyperband as Optuna's HyperbandPruner: ⌊log_η(maxResource/minResource)⌋ + 1 brackets, bracket s
 * a successive-halving pruner whose first rung is minResource·η^s (s = 0 prunes hardest). Each
 * trial belongs to one bracket, drawn from its number with the weights of the Hyperband paper
 * (⌈B·η^(B−1−s)/(B−s)⌉ for B brackets: more trials where more are pruned early), and competes
 * only with the trials of its bracket. Optuna hashes the study name and trial number; this hashes
 * the number alone, so the assignment is a pure function like everything the workflow replays.
 */
export class HyperbandPruner implements ConfigurablePruner {
  readonly config: HyperbandConfig;
  private readonly brackets: SuccessiveHalvingPruner[];
  private readonly budgets: number[];

  constructor(opts: Partial<Omit<HyperbandConfig, 'type'>> & { maxResource: number }) {
    this.config = prunerConfigSchema.parse({ type: 'hyperband', ...opts }) as HyperbandConfig;
    const { minResource, maxResource, reductionFactor: eta } = this.config;
    const n = Math.floor(Math.log(maxResource / minResource) / Math.log(eta) + 1e-9) + 1;
    this.brackets = Array.from(
      { length: n },
      (_, s) =>
        new SuccessiveHalvingPruner({ minResource, reductionFactor: eta, minEarlyStoppingRate: s }),
    );
    this.budgets = this.brackets.map((_, s) => Math.ceil((n * eta ** (n - 1 - s)) / (n - s)));
  }

  toJSON(): PrunerConfig {
    return { ...this.config };
  }

  /** The bracket (its minEarlyStoppingRate) trial `number` runs in. */
  bracketOf(number: number): number {
    const total = this.budgets.reduce((a, b) => a + b, 0);
    let r = (deriveSeed(0x4b4e, number) >>> 0) % total;
    for (let s = 0; s < this.budgets.length; s++) {
      r -= this.budgets[s]!;
      if (r < 0) return s;
    }
    return this.budgets.length - 1;
  }

  /** How many brackets there are. */
  get bracketCount(): number {
    return this.brackets.length;
  }

  shouldPrune(
    trial: FrozenTrial,
    step: number,
    trials: readonly FrozenTrial[],
    direction: MetricGoal,
  ): boolean {
    const s = this.bracketOf(trial.number);
    const mates = trials.filter((t) => this.bracketOf(t.number) === s);
    return this.brackets[s]!.shouldPrune(trial, step, mates, direction);
  }
}
