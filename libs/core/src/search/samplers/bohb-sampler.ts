import type { Params } from '../../spec/search-space';
import { SuccessiveHalvingPruner } from '../successive-halving-pruner';
import type { FrozenTrial, SampleContext } from '../types';
import type { ConfigurableSampler, SamplerConfig } from './sampler-config';
import { TPESampler } from './tpe-sampler';

type BohbConfig = Extract<SamplerConfig, { type: 'bohb' }>;

/**
 * BOHB's model (Falkner et al. 2018) over Hyperband's rungs: TPE fitted per budget level. Level
 * k holds every trial that reached rung minResource·η^k, valued by its metric there (as
 * successive halving reads it); the top level is maxResource, the completed trials. A proposal
 * uses the highest level with at least `nStartupTrials` observations, so the model trusts
 * cheap, noisy rungs only until enough long runs exist; with none, it samples at random.
 * Running trials join as bad ones (constant liar) as in TPE. One objective only.
 */
export class BOHBSampler implements ConfigurableSampler {
  private readonly tpe: TPESampler;
  private readonly ladder: SuccessiveHalvingPruner;

  constructor(readonly config: BohbConfig) {
    const { nStartupTrials, nEiCandidates, priorWeight, considerMagicClip } = config;
    const { constantLiar, multivariate, skipTried, minResource, reductionFactor } = config;
    this.tpe = new TPESampler({
      nStartupTrials,
      nEiCandidates,
      priorWeight,
      considerMagicClip,
      constantLiar,
      multivariate,
      skipTried,
    });
    this.ladder = new SuccessiveHalvingPruner({ minResource, reductionFactor });
  }

  toJSON(): SamplerConfig {
    return { ...this.config };
  }

  /** The rung steps below maxResource, lowest first. */
  private rungs(): number[] {
    const out: number[] = [];
    for (let k = 0; this.ladder.rungStep(k) < this.config.maxResource; k++) {
      out.push(this.ladder.rungStep(k));
    }
    return out;
  }

  /** Trials as level `k` sees them: completed, valued at that rung (undefined k: final values). */
  private level(trials: readonly FrozenTrial[], k: number | undefined): FrozenTrial[] {
    const out: FrozenTrial[] = [];
    for (const t of trials) {
      if (t.state === 'running' || t.state === 'failed') continue;
      const v =
        k === undefined
          ? t.state === 'completed'
            ? t.values?.[0]
            : undefined
          : this.ladder.rungValue(t, k);
      if (v === undefined || !Number.isFinite(v)) continue;
      out.push({ ...t, state: 'completed', values: [v] });
    }
    return out;
  }

  sample(ctx: SampleContext): Params {
    const running = ctx.trials.filter((t) => t.state === 'running');
    const levels: (number | undefined)[] = [
      undefined,
      ...this.rungs()
        .map((_, k) => k)
        .reverse(),
    ];
    for (const k of levels) {
      const seen = this.level(ctx.trials, k);
      if (seen.length >= Math.max(1, this.tpe.nStartupTrials)) {
        return this.tpe.sample({ ...ctx, trials: [...seen, ...running], priors: [] }, ctx.trials);
      }
    }
    // Too few observations at every level: TPE samples at random (the same params as random).
    return this.tpe.sample({ ...ctx, trials: [], priors: [] }, ctx.trials);
  }
}
