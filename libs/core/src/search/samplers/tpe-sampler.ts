import { deriveSeed, mulberry32, type Rng } from '../prng';
import { sampleParam, sampleRandomTrial } from '../random';
import type { ParamSpec, ParamValue, Params, SearchSpace } from '../../spec/search-space';
import { inRange, isParamActive, paramOrder, parentsOf } from '../../spec/conditions';
import type { FrozenTrial, SampleContext } from '../types';
import { CategoricalParzen, defaultWeights, NumericParzen, type ParzenOptions } from './parzen';
import {
  samplerConfigSchema,
  type ConfigurableSampler,
  type SamplerConfig,
} from './sampler-config';
import { argmax, numericDomain } from './tpe-domain';
import { sampleGroup } from './tpe-joint';
import { splitTrials } from './tpe-split';
import { isDiscreteSpace, paramsKey, triedParams, untriedRandomTrial } from './tried-params';

export interface TPEOptions {
  nStartupTrials?: number;
  nEiCandidates?: number;
  priorWeight?: number;
  considerMagicClip?: boolean;
  constantLiar?: boolean;
  multivariate?: boolean;
  skipTried?: boolean;
}

/**
 * Optuna's independent TPE. Until `nStartupTrials` trials are completed or pruned it samples like
 * `RandomSampler` (the same params). Then it splits the trials into good and bad (`splitTrials`,
 * gamma(n) = min(ceil(0.1 n), 25) good ones), and for each active parameter, independently and
 * parents before children, fits a Parzen estimator l(x) to the good trials' values and g(x) to the
 * bad ones' (only trials where the parameter is set), draws `nEiCandidates` from l(x) and keeps
 * the one with the largest l(x)/g(x). Numbers live in the log domain for loguniform and log ints;
 * ints are fitted on [min - step/2, max + step/2], rounded to the step and scored by the mass of
 * their bucket; choices use weighted counts plus a prior. All randomness comes from
 * `deriveSeed(seed, number)`, so the result is a pure function of the context.
 *
 * With `multivariate` (what sweeps get by default) it is Optuna 5's TPE instead: see
 * `sampleOptuna5` and `ProductParzen`.
 */
export class TPESampler implements ConfigurableSampler {
  readonly nStartupTrials: number;
  readonly nEiCandidates: number;
  readonly constantLiar: boolean;
  readonly multivariate: boolean;
  readonly skipTried: boolean;
  private readonly parzen: ParzenOptions;

  constructor(opts: TPEOptions = {}) {
    const c = samplerConfigSchema.parse({ type: 'tpe', ...opts }) as Extract<
      SamplerConfig,
      { type: 'tpe' }
    >;
    this.nStartupTrials = c.nStartupTrials;
    this.nEiCandidates = c.nEiCandidates;
    this.constantLiar = c.constantLiar;
    this.multivariate = c.multivariate;
    this.skipTried = c.skipTried;
    this.parzen = { priorWeight: c.priorWeight, considerMagicClip: c.considerMagicClip };
  }

  toJSON(): SamplerConfig {
    return {
      type: 'tpe',
      nStartupTrials: this.nStartupTrials,
      nEiCandidates: this.nEiCandidates,
      ...this.parzen,
      constantLiar: this.constantLiar,
      multivariate: this.multivariate,
      skipTried: this.skipTried,
    };
  }

  /**
   * `tried`: the trials whose params are not proposed again (with skipTried) when `trials` is
   * only part of them (BOHB fits one budget level).
   */
  sample(ctx: SampleContext, tried: readonly FrozenTrial[] = ctx.trials): Params {
    const { space, trials, number, directions, seed, priors = [] } = ctx;
    // Warm-start trials from earlier sweeps come first: older, so the weight ramp trusts them less.
    const { below, above: split, n } = splitTrials([...priors, ...trials], directions);
    const skip = this.skipTried && isDiscreteSpace(space) ? triedParams(tried, number) : undefined;
    if (n < this.nStartupTrials || n === 0) {
      return skip
        ? untriedRandomTrial(space, seed, number, skip)
        : sampleRandomTrial(space, seed, number);
    }
    const above = this.constantLiar
      ? [...split, ...trials.filter((t) => t.state === 'running' && t.number !== number)]
      : split;
    const rng = mulberry32(deriveSeed(deriveSeed(seed, number), 0x7e5));
    const proposed = this.multivariate
      ? this.sampleOptuna5(space, directions, below, above, rng, skip)
      : this.sampleIndependent(space, below, above, rng);
    // Drawn param by param (conditional or multi-objective), TPE cannot steer off tried points.
    return skip?.has(paramsKey(proposed))
      ? untriedRandomTrial(space, seed, number, skip)
      : proposed;
  }

  private sampleIndependent(
    space: SearchSpace,
    below: readonly FrozenTrial[],
    above: readonly FrozenTrial[],
    rng: Rng,
  ): Params {
    const out: Params = {};
    for (const name of paramOrder(space)) {
      if (!isParamActive(space, name, out)) continue;
      out[name] = this.sampleOne(space[name]!, name, below, above, rng);
    }
    return out;
  }

  /**
   * Like Optuna 5: one objective → the params without conditions (present in every trial, as in
   * Optuna's intersection search space) are drawn jointly; conditional params, and every param of
   * a multi-objective study, one at a time, parents first.
   */
  private sampleOptuna5(
    space: SearchSpace,
    directions: SampleContext['directions'],
    below: readonly FrozenTrial[],
    above: readonly FrozenTrial[],
    rng: Rng,
    skip?: ReadonlySet<string>,
  ): Params {
    const order = paramOrder(space);
    const joint =
      directions.length <= 1 ? order.filter((n) => parentsOf(space, n).length === 0) : [];
    // Only a draw of every param at once can tell a tried point from a new one.
    const untried =
      skip && joint.length === order.length ? (p: Params) => !skip.has(paramsKey(p)) : undefined;
    const draw = (names: string[]) =>
      sampleGroup(space, names, below, above, rng, this.nEiCandidates, this.parzen, untried);
    const out: Params = joint.length > 0 ? draw(joint) : {};
    for (const name of order) {
      if (name in out || !isParamActive(space, name, out)) continue;
      Object.assign(out, draw([name]));
    }
    return out;
  }

  private sampleOne(
    p: ParamSpec,
    name: string,
    below: readonly FrozenTrial[],
    above: readonly FrozenTrial[],
    rng: Rng,
  ): ParamValue {
    const obs = (ts: readonly FrozenTrial[]) =>
      ts.map((t) => t.params[name]).filter((v): v is ParamValue => inRange(p, v));
    const good = obs(below);
    const bad = obs(above);
    if (good.length === 0 && bad.length === 0) return sampleParam(p, rng);
    const m = this.nEiCandidates;
    if (p.type === 'choice') {
      const index = (v: ParamValue) => p.values.findIndex((c) => c === v);
      const l = new CategoricalParzen(
        good.map(index),
        defaultWeights(good.length),
        p.values.length,
        this.parzen,
      );
      const g = new CategoricalParzen(
        bad.map(index),
        defaultWeights(bad.length),
        p.values.length,
        this.parzen,
      );
      return p.values[argmax(l.sample(rng, m), (c) => l.logProb(c) - g.logProb(c))]!;
    }
    const d = numericDomain(p);
    const fit = (vs: ParamValue[]) =>
      new NumericParzen(
        vs.map((v) => d.toInternal(v as number)),
        defaultWeights(vs.length),
        d.low,
        d.high,
        this.parzen,
      );
    const l = fit(good);
    const g = fit(bad);
    const bucket = d.bucket;
    if (bucket) {
      const candidates = l.sample(rng, m).map((x) => d.fromInternal(x));
      return argmax(candidates, (v) => {
        const [a, b] = bucket(v);
        return l.logMass(a, b) - g.logMass(a, b);
      });
    }
    const candidates = l.sample(rng, m);
    return d.fromInternal(argmax(candidates, (x) => l.logPdf(x) - g.logPdf(x)));
  }
}
