/**
 * Optuna 5's Parzen estimator: a mixture of product kernels, one per observation plus a prior.
 * Every kernel spans all dimensions at once, so a candidate drawn from l(x) keeps the combination
 * of values a good trial had (multivariate TPE); with one dimension it is Optuna 5's independent
 * estimator. Differences from `NumericParzen`/`CategoricalParzen` (Optuna ≤ 3, kept for sweeps
 * recorded with them): bandwidths come from neighbouring observations only (the prior is not
 * sorted in), and a choice's kernel spreads priorWeight / (n + 1) over every choice.
 */
import type { Rng } from '../prng';
import { logSumExp, normLogPdf, normMass } from '../math';
import { sampleTruncNormal } from './parzen';
import type { NumericDomain } from './tpe-domain';

/** A dimension: a number in its internal (maybe log) domain, or a choice index. */
export type ParzenDim = { kind: 'numeric'; domain: NumericDomain } | { kind: 'choice'; n: number };

export interface ProductParzenOptions {
  priorWeight: number;
  considerMagicClip: boolean;
}

/**
 * Bandwidth of each observation: the larger gap to its sorted neighbours (the interval's ends
 * count as neighbours), except that the outermost ones look inwards only (consider_endpoints
 * off); clipped to [range / min(100, n + 2), range] with the magic clip.
 */
export function bandwidths(
  obs: readonly number[],
  low: number,
  high: number,
  magicClip: boolean,
): number[] {
  const order = obs.map((_, i) => i).sort((a, b) => obs[a]! - obs[b]! || a - b);
  const s = [low, ...order.map((i) => obs[i]!), high];
  const sorted = order.map((_, k) => Math.max(s[k + 1]! - s[k]!, s[k + 2]! - s[k + 1]!));
  if (s.length >= 4) {
    sorted[0] = s[2]! - s[1]!;
    sorted[sorted.length - 1] = s[s.length - 2]! - s[s.length - 3]!;
  }
  const range = high - low;
  const min = magicClip ? range / Math.min(100, obs.length + 2) : 1e-12;
  const out = new Array<number>(obs.length);
  order.forEach((i, k) => (out[i] = Math.min(range, Math.max(min, sorted[k]!))));
  return out;
}

interface NumericKernels {
  kind: 'numeric';
  domain: NumericDomain;
  mus: number[];
  sigmas: number[];
  logNorm: number[];
}
interface ChoiceKernels {
  kind: 'choice';
  /** logProbs[kernel][choice] */
  logProbs: number[][];
}

/** One point: per dimension an internal number (ints: the snapped value) or a choice index. */
export type ParzenPoint = number[];

export class ProductParzen {
  private readonly weights: number[];
  private readonly kernels: (NumericKernels | ChoiceKernels)[];

  /** `observations[i][d]`: observation i's value in dimension d (internal / index). */
  constructor(
    dims: readonly ParzenDim[],
    observations: readonly ParzenPoint[],
    obsWeights: readonly number[],
    opts: ProductParzenOptions,
  ) {
    const n = observations.length;
    const w = n === 0 ? [1] : [...obsWeights, opts.priorWeight];
    const total = w.reduce((a, b) => a + b, 0);
    this.weights = w.map((x) => x / total);
    this.kernels = dims.map((dim, d) => {
      const col = observations.map((o) => o[d]!);
      if (dim.kind === 'choice') {
        const flat = opts.priorWeight / (n + 1);
        const rows = col.map((c) => {
          const row = new Array<number>(dim.n).fill(flat);
          row[c] = row[c]! + 1;
          const sum = 1 + dim.n * flat;
          return row.map((p) => Math.log(p / sum));
        });
        rows.push(new Array<number>(dim.n).fill(-Math.log(dim.n)));
        return { kind: 'choice', logProbs: rows };
      }
      const { low, high } = dim.domain;
      const range = high - low > 0 ? high - low : 1;
      const internal = col.map((v) => (dim.domain.bucket ? dim.domain.toInternal(v) : v));
      const mus = [...internal, 0.5 * (low + high)];
      const sigmas = [...bandwidths(internal, low, high, opts.considerMagicClip), range];
      const logNorm = mus.map((mu, i) =>
        Math.log(Math.max(normMass((low - mu) / sigmas[i]!, (high - mu) / sigmas[i]!), 1e-300)),
      );
      return { kind: 'numeric', domain: dim.domain, mus, sigmas, logNorm };
    });
  }

  /** `n` points: pick a kernel by weight, then draw every dimension from it. */
  sample(rng: Rng, n: number): ParzenPoint[] {
    const out: ParzenPoint[] = [];
    for (let k = 0; k < n; k++) {
      const i = pick(this.weights, rng());
      out.push(
        this.kernels.map((kern) => {
          if (kern.kind === 'choice') return pick(kern.logProbs[i]!.map(Math.exp), rng());
          const { domain } = kern;
          const x = sampleTruncNormal(rng, kern.mus[i]!, kern.sigmas[i]!, domain.low, domain.high);
          return domain.bucket ? domain.fromInternal(x) : x;
        }),
      );
    }
    return out;
  }

  /** log density (ints and choices: log mass) of a point. */
  logPdf(x: ParzenPoint): number {
    return logSumExp(
      this.weights.map((w, i) => {
        let lp = Math.log(w);
        this.kernels.forEach((kern, d) => {
          if (kern.kind === 'choice') {
            lp += kern.logProbs[i]![x[d]!]!;
            return;
          }
          const mu = kern.mus[i]!;
          const s = kern.sigmas[i]!;
          const bucket = kern.domain.bucket;
          if (bucket) {
            const [a, b] = bucket(x[d]!);
            lp += Math.log(Math.max(normMass((a - mu) / s, (b - mu) / s), 1e-300));
          } else {
            lp += normLogPdf((x[d]! - mu) / s) - Math.log(s);
          }
          lp -= kern.logNorm[i]!;
        });
        return lp;
      }),
    );
  }
}

/** The index u falls into when [0, 1) is cut into the given probabilities. */
function pick(probs: readonly number[], u: number): number {
  let i = 0;
  while (i < probs.length - 1 && u >= probs[i]!) u -= probs[i++]!;
  return i;
}
