import type { ParamSpec } from '../../spec/search-space';

/** A numeric parameter as TPE fits it: the internal (log or bucketed) interval and the maps. */
export interface NumericDomain {
  low: number;
  high: number;
  toInternal(v: number): number;
  fromInternal(x: number): number;
  /** For ints: the internal interval that rounds to v. */
  bucket?: (v: number) => [number, number];
}

export function numericDomain(p: Exclude<ParamSpec, { type: 'choice' }>): NumericDomain {
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

/** The x with the largest score (the first on ties). */
export function argmax<T>(xs: readonly T[], score: (x: T) => number): T {
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
