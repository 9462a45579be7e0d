import type { ParamSpec, ParamValue, Params, SearchSpace } from '../spec/search-space';
import { deriveSeed, mulberry32, type Rng } from './prng';

export function sampleParam(p: ParamSpec, rng: Rng): ParamValue {
  switch (p.type) {
    case 'choice':
      return p.values[Math.floor(rng() * p.values.length)] as ParamValue;
    case 'int': {
      const steps = Math.floor((p.max - p.min) / p.step);
      return p.min + Math.floor(rng() * (steps + 1)) * p.step;
    }
    case 'uniform':
      return p.min + rng() * (p.max - p.min);
    case 'loguniform':
      return Math.exp(Math.log(p.min) + rng() * (Math.log(p.max) - Math.log(p.min)));
  }
}

/** Params of trial `trialNumber`, a pure function of (space, seed, trialNumber). */
export function sampleRandomTrial(space: SearchSpace, seed: number, trialNumber: number): Params {
  const rng = mulberry32(deriveSeed(seed, trialNumber));
  const out: Params = {};
  for (const name of Object.keys(space).sort()) out[name] = sampleParam(space[name]!, rng);
  return out;
}
