import { z } from 'zod';
import { expandGrid, GridError } from '../sampling/grid';
import { deriveSeed, mulberry32, type Rng } from '../sampling/prng';
import { sampleParam, sampleRandomTrial } from '../sampling/random';
import type { ParamSpec, ParamValue, Params, SearchSpace } from '../spec/search-space';
import type { MetricGoal } from '../spec/sweep-spec';
import { inRange, isParamActive, paramOrder } from './conditions';
import { crowdingDistances, nonDominatedRanks } from './pareto';
import { CategoricalParzen, defaultWeights, NumericParzen, type ParzenOptions } from './parzen';
import { lastIntermediate, type FrozenTrial, type SampleContext, type Sampler } from './types';

export const samplerConfigSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('grid') }).strict(),
  z.object({ type: z.literal('random') }).strict(),
  z
    .object({
      type: z.literal('tpe'),
      /** Trials sampled at random before TPE takes over (completed + pruned ones count). */
      nStartupTrials: z.number().int().min(0).max(10_000).default(10),
      /** Candidates drawn from l(x) per parameter; the one maximising l(x)/g(x) wins. */
      nEiCandidates: z.number().int().min(1).max(10_000).default(24),
      priorWeight: z.number().positive().default(1),
      considerMagicClip: z.boolean().default(true),
      /**
       * Optuna's constant liar: trials still running count as bad ones, so parallel asks spread
       * out instead of all proposing the same promising point.
       */
      constantLiar: z.boolean().default(false),
    })
    .strict(),
]);
export type SamplerConfig = z.output<typeof samplerConfigSchema>;
export type SamplerConfigInput = z.input<typeof samplerConfigSchema>;

/** A sampler that can describe itself, so a Study can be serialised and rebuilt. */
export interface ConfigurableSampler extends Sampler {
  toJSON(): SamplerConfig;
}

const grids = new WeakMap<SearchSpace, Params[]>();

/**
 * Trial N gets point N of the grid (`expandGrid` order: first parameter slowest, conditions
 * honoured). Asking past the end of the grid is an error: a grid has a fixed size.
 */
export class GridSampler implements ConfigurableSampler {
  sample({ space, number }: SampleContext): Params {
    let grid = grids.get(space);
    if (!grid) grids.set(space, (grid = expandGrid(space)));
    const point = grid[number];
    if (!point) {
      throw new GridError(`the grid has ${grid.length} points; there is no trial ${number}`);
    }
    return { ...point };
  }
  toJSON(): SamplerConfig {
    return { type: 'grid' };
  }
}

/** Independent uniform draws (log-uniform for log params); the same stream as `sampleRandomTrial`. */
export class RandomSampler implements ConfigurableSampler {
  sample({ space, seed, number }: SampleContext): Params {
    return sampleRandomTrial(space, seed, number);
  }
  toJSON(): SamplerConfig {
    return { type: 'random' };
  }
}

/** Optuna's default gamma: how many of n observations are "good". */
export function tpeGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

interface Observation {
  trial: FrozenTrial;
}

/**
 * Splits usable trials into good ("below") and bad ("above") halves, each in trial-number order.
 *
 * One objective (Optuna): completed trials rank by value; pruned trials rank after every
 * completed one, those that got further first, then by their last intermediate value (a pruned
 * trial with no report ranks last). Failed and running trials are ignored, and so are completed
 * trials whose value is not a finite number.
 *
 * Several objectives (MOTPE-lite): only completed trials with a finite value per objective count.
 * They are ranked by non-dominated sorting; whole fronts go to "below" while they fit in gamma(n),
 * and the front that does not fit is cut by NSGA-II crowding distance (most isolated first, ties
 * by trial number). Optuna's MOTPE picks that cut and weights "below" by hypervolume contribution;
 * this keeps the uniform/ramp weights of the single-objective case instead.
 */
export function splitTrials(
  trials: readonly FrozenTrial[],
  directions: readonly MetricGoal[],
): { below: FrozenTrial[]; above: FrozenTrial[]; n: number } {
  const byNumber = (a: Observation, b: Observation) => a.trial.number - b.trial.number;
  if (directions.length <= 1) {
    const sign = directions[0] === 'maximize' ? -1 : 1;
    const scored: { trial: FrozenTrial; key: [number, number] }[] = [];
    for (const t of trials) {
      if (t.state === 'completed') {
        const v = t.values?.[0];
        if (v !== undefined && Number.isFinite(v))
          scored.push({ trial: t, key: [-Infinity, sign * v] });
      } else if (t.state === 'pruned') {
        const last = lastIntermediate(t);
        if (!last) scored.push({ trial: t, key: [Infinity, 0] });
        else
          scored.push({
            trial: t,
            key: [-last.step, Number.isNaN(last.value) ? Infinity : sign * last.value],
          });
      }
    }
    const order = [...scored].sort(
      (a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.trial.number - b.trial.number,
    );
    const nBelow = tpeGamma(order.length);
    return {
      below: order
        .slice(0, nBelow)
        .sort(byNumber)
        .map((o) => o.trial),
      above: order
        .slice(nBelow)
        .sort(byNumber)
        .map((o) => o.trial),
      n: order.length,
    };
  }
  const done = trials.filter(
    (t) =>
      t.state === 'completed' &&
      t.values !== null &&
      t.values.length === directions.length &&
      t.values.every((v) => Number.isFinite(v)),
  );
  const nBelow = tpeGamma(done.length);
  const ranks = nonDominatedRanks(
    done.map((t) => t.values!),
    directions,
  );
  const chosen = new Set<FrozenTrial>();
  for (let rank = 0; chosen.size < nBelow; rank++) {
    const front = done.filter((_, i) => ranks[i] === rank);
    if (front.length === 0) break;
    if (chosen.size + front.length <= nBelow) {
      for (const t of front) chosen.add(t);
      continue;
    }
    const dist = crowdingDistances(
      front.map((t) => t.values!),
      directions,
    );
    const order = front.map((_, i) => i).sort((a, b) => dist[b]! - dist[a]! || a - b);
    for (const i of order.slice(0, nBelow - chosen.size)) chosen.add(front[i]!);
  }
  return {
    below: done.filter((t) => chosen.has(t)),
    above: done.filter((t) => !chosen.has(t)),
    n: done.length,
  };
}

interface NumericDomain {
  low: number;
  high: number;
  toInternal(v: number): number;
  fromInternal(x: number): number;
  /** For ints: the internal interval that rounds to v. */
  bucket?: (v: number) => [number, number];
}

function numericDomain(p: Exclude<ParamSpec, { type: 'choice' }>): NumericDomain {
  switch (p.type) {
    case 'uniform':
      return { low: p.min, high: p.max, toInternal: (v) => v, fromInternal: (x) => x };
    case 'loguniform':
      return {
        low: Math.log(p.min),
        high: Math.log(p.max),
        toInternal: Math.log,
        fromInternal: (x) => Math.min(p.max, Math.max(p.min, Math.exp(x))),
      };
    case 'int': {
      const top = p.min + Math.floor((p.max - p.min) / p.step) * p.step;
      const snap = (v: number) =>
        Math.min(top, Math.max(p.min, p.min + Math.round((v - p.min) / p.step) * p.step));
      if (p.log) {
        return {
          low: Math.log(p.min - 0.5),
          high: Math.log(top + 0.5),
          toInternal: Math.log,
          fromInternal: (x) => snap(Math.exp(x)),
          bucket: (v) => [Math.log(v - 0.5), Math.log(v + 0.5)],
        };
      }
      const h = p.step / 2;
      return {
        low: p.min - h,
        high: top + h,
        toInternal: (v) => v,
        fromInternal: snap,
        bucket: (v) => [v - h, v + h],
      };
    }
  }
}

export interface TPEOptions {
  nStartupTrials?: number;
  nEiCandidates?: number;
  priorWeight?: number;
  considerMagicClip?: boolean;
  constantLiar?: boolean;
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
 */
export class TPESampler implements ConfigurableSampler {
  readonly nStartupTrials: number;
  readonly nEiCandidates: number;
  readonly constantLiar: boolean;
  private readonly parzen: ParzenOptions;

  constructor(opts: TPEOptions = {}) {
    const c = samplerConfigSchema.parse({ type: 'tpe', ...opts }) as Extract<
      SamplerConfig,
      { type: 'tpe' }
    >;
    this.nStartupTrials = c.nStartupTrials;
    this.nEiCandidates = c.nEiCandidates;
    this.constantLiar = c.constantLiar;
    this.parzen = { priorWeight: c.priorWeight, considerMagicClip: c.considerMagicClip };
  }

  toJSON(): SamplerConfig {
    return {
      type: 'tpe',
      nStartupTrials: this.nStartupTrials,
      nEiCandidates: this.nEiCandidates,
      ...this.parzen,
      constantLiar: this.constantLiar,
    };
  }

  sample({ space, trials, number, directions, seed, priors = [] }: SampleContext): Params {
    // Warm-start trials from earlier sweeps come first: older, so the weight ramp trusts them less.
    const { below, above: split, n } = splitTrials([...priors, ...trials], directions);
    if (n < this.nStartupTrials || n === 0) return sampleRandomTrial(space, seed, number);
    const above = this.constantLiar
      ? [...split, ...trials.filter((t) => t.state === 'running' && t.number !== number)]
      : split;
    const rng = mulberry32(deriveSeed(deriveSeed(seed, number), 0x7e5));
    const out: Params = {};
    for (const name of paramOrder(space)) {
      if (!isParamActive(space, name, out)) continue;
      out[name] = this.sampleOne(space[name]!, name, below, above, rng);
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

function argmax<T>(xs: readonly T[], score: (x: T) => number): T {
  let best = xs[0] as T;
  let bestScore = -Infinity;
  for (const x of xs) {
    const s = score(x);
    if (s > bestScore) {
      best = x;
      bestScore = s;
    }
  }
  return best;
}

/** Builds a built-in sampler from its JSON config. */
export function createSampler(config: SamplerConfigInput): ConfigurableSampler {
  const c = samplerConfigSchema.parse(config);
  switch (c.type) {
    case 'grid':
      return new GridSampler();
    case 'random':
      return new RandomSampler();
    case 'tpe':
      return new TPESampler(c);
  }
}
