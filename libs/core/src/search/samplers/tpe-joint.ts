import type { Rng } from '../prng';
import type { ParamSpec, ParamValue, Params, SearchSpace } from '../../spec/search-space';
import { inRange } from '../../spec/conditions';
import type { FrozenTrial } from '../types';
import { defaultWeights } from './parzen';
import {
  ProductParzen,
  type ParzenDim,
  type ParzenPoint,
  type ProductParzenOptions,
} from './product-parzen';
import { argmax, numericDomain } from './tpe-domain';

/** How many more batches of candidates are drawn when `accept` refuses a whole batch. */
const MORE_DRAWS = 4;

/** How a param maps to a Parzen dimension and back. */
function codec(p: ParamSpec): {
  dim: ParzenDim;
  encode(v: ParamValue): number;
  decode(x: number): ParamValue;
} {
  if (p.type === 'choice') {
    return {
      dim: { kind: 'choice', n: p.values.length },
      encode: (v) => p.values.findIndex((c) => c === v),
      decode: (i) => p.values[i]!,
    };
  }
  const domain = numericDomain(p);
  // Ints travel as their snapped value (scored by bucket mass), other numbers as internal x.
  if (domain.bucket)
    return { dim: { kind: 'numeric', domain }, encode: (v) => v as number, decode: (x) => x };
  return {
    dim: { kind: 'numeric', domain },
    encode: (v) => domain.toInternal(v as number),
    decode: (x) => domain.fromInternal(x),
  };
}

/**
 * Optuna 5's TPE step for a group of params sampled together: l(x) from the good trials, g(x)
 * from the bad ones (each only from trials that set every param of the group, as Optuna's
 * intersection search space does), `m` candidates drawn from l(x), the one with the largest
 * l(x)/g(x) kept. A group of one param is Optuna's independent sampling. With `accept`, only
 * candidates it accepts compete (up to 4 more draws of m are made to find one; with none, all do).
 */
export function sampleGroup(
  space: SearchSpace,
  names: readonly string[],
  below: readonly FrozenTrial[],
  above: readonly FrozenTrial[],
  rng: Rng,
  m: number,
  opts: ProductParzenOptions,
  accept?: (params: Params) => boolean,
): Params {
  const codecs = names.map((name) => codec(space[name]!));
  const points = (ts: readonly FrozenTrial[]): ParzenPoint[] =>
    ts
      .filter((t) => names.every((name) => inRange(space[name]!, t.params[name])))
      .map((t) => names.map((name, d) => codecs[d]!.encode(t.params[name]!)));
  const dims = codecs.map((c) => c.dim);
  const fit = (ps: ParzenPoint[]) => new ProductParzen(dims, ps, defaultWeights(ps.length), opts);
  const l = fit(points(below));
  const g = fit(points(above));
  const decode = (x: ParzenPoint): Params => {
    const out: Params = {};
    names.forEach((name, d) => (out[name] = codecs[d]!.decode(x[d]!)));
    return out;
  };
  const candidates = l.sample(rng, m);
  let pool = accept ? candidates.filter((x) => accept(decode(x))) : candidates;
  for (let more = 0; accept && pool.length === 0 && more < MORE_DRAWS; more++) {
    pool = l.sample(rng, m).filter((x) => accept(decode(x)));
  }
  if (pool.length === 0) pool = candidates;
  return decode(argmax(pool, (x) => l.logPdf(x) - g.logPdf(x)));
}
