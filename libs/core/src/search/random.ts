import type { ParamSpec, ParamValue, Params, SearchSpace } from '../spec/search-space';
import { dropInactive } from '../spec/conditions';
import { deriveSeed, mulberry32, type Rng } from './prng';

export function sampleParam(p: ParamSpec, rng: Rng): ParamValue {
  switch (p.type) {
    case 'choice':
      return p.values[Math.floor(rng() * p.values.length)] as ParamValue;
    case 'int': {
      if (p.log) {
        // Log-uniform over [min - 0.5, max + 0.5], rounded: each integer gets the mass of its bucket.
        const lo = Math.log(p.min - 0.5);
        const hi = Math.log(p.max + 0.5);
        return Math.min(p.max, Math.max(p.min, Math.round(Math.exp(lo + rng() * (hi - lo)))));
      }
      const steps = Math.floor((p.max - p.min) / p.step);
      return p.min + Math.floor(rng() * (steps + 1)) * p.step;
    }
    case 'uniform':
      return p.min + rng() * (p.max - p.min);
    case 'loguniform':
      return Math.exp(Math.log(p.min) + rng() * (Math.log(p.max) - Math.log(p.min)));
  }
}

/**
 * Params of trial `trialNumber`, a pure function of (space, seed, trialNumber). Every param is
 * drawn (so the stream does not depend on conditions), then the inactive ones are dropped.
 */
export function sampleRandomTrial(space: SearchSpace, seed: number, trialNumber: number): Params {
  const rng = mulberry32(deriveSeed(seed, trialNumber));
  const out: Params = {};
  for (const name of Object.keys(space).sort()) out[name] = sampleParam(space[name]!, rng);
  return dropInactive(space, out);
}
