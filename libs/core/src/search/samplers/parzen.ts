/**
 * Parzen estimators for TPE (after Optuna's `_ParzenEstimator`): a mixture of truncated normals
 * around the observations plus a wide prior for numbers, weighted counts plus a prior for choices.
 */
import type { Rng } from '../prng';
import { logSumExp, normLogPdf, normMass, normPpf, normCdf } from '../math';

export interface ParzenOptions {
  /** Weight of the prior component (a normal centred on the range, as wide as the range). */
  priorWeight: number;
  /** Bound the bandwidths below by range / min(100, 1 + n) (Hyperopt's "magic clip"). */
  considerMagicClip: boolean;
}

/** Optuna's default weights: flat for the 25 most recent observations, a linear ramp before. */
export function defaultWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = n - 25;
  const out: number[] = [];
  for (let i = 0; i < ramp; i++)
    out.push(ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1));
  for (let i = 0; i < 25; i++) out.push(1);
  return out;
}

/** One draw from N(mu, s²) truncated to [low, high] (one `rng()` call, by inverting the CDF). */
export function sampleTruncNormal(
  rng: Rng,
  mu: number,
  s: number,
  low: number,
  high: number,
): number {
  const a = (low - mu) / s;
  const b = (high - mu) / s;
  const r = rng();
  let z: number;
  if (a > 0) {
    // Sample the mirrored interval where the CDF keeps its precision.
    const pa = normCdf(-b);
    const pb = normCdf(-a);
    z = -normPpf(pa + r * (pb - pa));
  } else {
    const pa = normCdf(a);
    const pb = normCdf(b);
    z = normPpf(pa + r * (pb - pa));
  }
  const x = mu + s * z;
  return Number.isFinite(x) ? Math.min(high, Math.max(low, x)) : mu;
}

/** A mixture of normals truncated to [low, high] (observations in the internal, maybe log, domain). */
export class NumericParzen {
  readonly mus: number[];
  readonly sigmas: number[];
  readonly weights: number[];
  private readonly logNorm: number[];

  constructor(
    observations: readonly number[],
    obsWeights: readonly number[],
    readonly low: number,
    readonly high: number,
    opts: ParzenOptions,
  ) {
    const range = high - low;
    const priorMu = 0.5 * (low + high);
    const priorSigma = range > 0 ? range : 1;
    const mus = [...observations, priorMu];
    const priorIndex = mus.length - 1;
    const order = mus.map((_, i) => i).sort((a, b) => mus[a]! - mus[b]! || a - b);
    const sorted = [low, ...order.map((i) => mus[i]!), high];
    const sortedSigmas = order.map((_, k) =>
      Math.max(sorted[k + 1]! - sorted[k]!, sorted[k + 2]! - sorted[k + 1]!),
    );
    // Like Optuna's consider_endpoints=False: the outermost kernels look inwards only.
    if (sorted.length >= 4) {
      sortedSigmas[0] = sorted[2]! - sorted[1]!;
      sortedSigmas[sortedSigmas.length - 1] =
        sorted[sorted.length - 2]! - sorted[sorted.length - 3]!;
    }
    const sigmas = new Array<number>(mus.length);
    order.forEach((i, k) => (sigmas[i] = sortedSigmas[k]!));
    const maxSigma = priorSigma;
    const minSigma = opts.considerMagicClip ? priorSigma / Math.min(100, 1 + mus.length) : 1e-12;
    for (let i = 0; i < sigmas.length; i++) {
      sigmas[i] = Math.min(maxSigma, Math.max(minSigma, sigmas[i]!));
    }
    sigmas[priorIndex] = priorSigma;
    const w = [...obsWeights, opts.priorWeight];
    const total = w.reduce((s, x) => s + x, 0);
    this.mus = mus;
    this.sigmas = sigmas;
    this.weights = w.map((x) => x / total);
    this.logNorm = mus.map((mu, i) => {
      const s = sigmas[i]!;
      return Math.log(Math.max(normMass((low - mu) / s, (high - mu) / s), 1e-300));
    });
  }

  /** `n` draws: pick a component by weight, then draw from it truncated to [low, high]. */
  sample(rng: Rng, n: number): number[] {
    const out: number[] = [];
    for (let k = 0; k < n; k++) {
      let u = rng();
      let i = 0;
      while (i < this.weights.length - 1 && u >= this.weights[i]!) u -= this.weights[i++]!;
      out.push(sampleTruncNormal(rng, this.mus[i]!, this.sigmas[i]!, this.low, this.high));
    }
    return out;
  }

  /** log density at x (inside [low, high]). */
  logPdf(x: number): number {
    return logSumExp(
      this.mus.map((mu, i) => {
        const s = this.sigmas[i]!;
        return (
          Math.log(this.weights[i]!) + normLogPdf((x - mu) / s) - Math.log(s) - this.logNorm[i]!
        );
      }),
    );
  }

  /** log of the mixture's mass on [a, b] (a bucket of an int parameter). */
  logMass(a: number, b: number): number {
    const lo = Math.max(a, this.low);
    const hi = Math.min(b, this.high);
    let m = 0;
    for (let i = 0; i < this.mus.length; i++) {
      const mu = this.mus[i]!;
      const s = this.sigmas[i]!;
      m += this.weights[i]! * normMass((lo - mu) / s, (hi - mu) / s) * Math.exp(-this.logNorm[i]!);
    }
    return Math.log(Math.max(m, 1e-300));
  }
}

/** Weighted counts of the observed choice indices plus `priorWeight` for every choice. */
export class CategoricalParzen {
  readonly probs: number[];

  constructor(
    observations: readonly number[],
    obsWeights: readonly number[],
    nChoices: number,
    opts: ParzenOptions,
  ) {
    const counts = new Array<number>(nChoices).fill(opts.priorWeight);
    observations.forEach((c, i) => (counts[c] = counts[c]! + obsWeights[i]!));
    const total = counts.reduce((s, x) => s + x, 0);
    this.probs = counts.map((c) => (total > 0 ? c / total : 1 / nChoices));
  }

  sample(rng: Rng, n: number): number[] {
    const out: number[] = [];
    for (let k = 0; k < n; k++) {
      let u = rng();
      let i = 0;
      while (i < this.probs.length - 1 && u >= this.probs[i]!) u -= this.probs[i++]!;
      out.push(i);
    }
    return out;
  }

  logProb(c: number): number {
    return Math.log(Math.max(this.probs[c] ?? 0, 1e-300));
  }
}
