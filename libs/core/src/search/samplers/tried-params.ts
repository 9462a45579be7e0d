import { deriveSeed } from '../prng';
import { sampleRandomTrial } from '../random';
import type { Params, SearchSpace } from '../../spec/search-space';
import type { FrozenTrial } from '../types';

/**
 * Whether every param takes finitely many values (choices and ints): only there can a sampler
 * propose the same params twice with any real chance.
 */
export function isDiscreteSpace(space: SearchSpace): boolean {
  return Object.values(space).every((p) => p.type === 'choice' || p.type === 'int');
}

/** One string per params object, the same whatever the key order. */
export function paramsKey(params: Readonly<Params>): string {
  return JSON.stringify(
    Object.keys(params)
      .sort()
      .map((k) => [k, params[k]]),
  );
}

/**
 * The params already tried: completed, pruned and running trials (failed ones may be retried).
 * A trainer run again with the same params and seed gives the same curve, so a sampler that asks
 * for them again spends a trial and learns nothing.
 */
export function triedParams(trials: readonly FrozenTrial[], number: number): Set<string> {
  const tried = new Set<string>();
  for (const t of trials) {
    if (t.number !== number && t.state !== 'failed') tried.add(paramsKey(t.params));
  }
  return tried;
}

/** How many more random draws an untried point is looked for before a repeat is accepted. */
const RANDOM_REDRAWS = 64;

/** `sampleRandomTrial`, drawn again from derived streams while the point was already tried. */
export function untriedRandomTrial(
  space: SearchSpace,
  seed: number,
  number: number,
  tried: ReadonlySet<string>,
): Params {
  const first = sampleRandomTrial(space, seed, number);
  if (!tried.has(paramsKey(first))) return first;
  for (let i = 1; i <= RANDOM_REDRAWS; i++) {
    const p = sampleRandomTrial(space, deriveSeed(seed, 0x5eed + i), number);
    if (!tried.has(paramsKey(p))) return p;
  }
  return first;
}
