import type { MetricGoal } from '../spec/sweep-spec';
import type { ParamSpec, ParamValue, Params, SearchSpace } from '../spec/search-space';
import type { PbtConfig } from '../spec/pbt-config';
import { deriveSeed, mulberry32, type Rng } from './prng';
import { sampleParam, sampleRandomTrial } from './random';

/**
 * Population-based training (Jaderberg et al. 2017), synchronous: every member trains one
 * interval, then the bottom quantile copies the checkpoint and params of a top member (exploit)
 * and changes the mutable ones (explore). Pure and deterministic from the sweep seed; the sweep
 * workflow runs the intervals as trials (libs/workflows/src/sweep-pbt.ts).
 */

/** How one param changed when a member copied another. */
export interface PbtChange {
  from: ParamValue;
  to: ParamValue;
  how: 'perturb' | 'resample';
}

/** What a member does in the next interval. */
export interface PbtDecision {
  member: number;
  /** The member whose checkpoint it continues from: itself unless it exploited another. */
  source: number;
  params: Params;
  /** Only for exploiting members: the explored params. */
  changes: Record<string, PbtChange>;
}

/** The members' starting params: random draws from the space, as trials 0…P−1 of random search. */
export function pbtInitialParams(space: SearchSpace, config: PbtConfig, seed: number): Params[] {
  return Array.from({ length: config.population }, (_, i) => sampleRandomTrial(space, seed, i));
}

/** How many epochs member trials run in all, and the interval boundaries (epochs done). */
export function pbtBoundaries(epochs: number, interval: number): number[] {
  const ends: number[] = [];
  for (let e = interval; e < epochs; e += interval) ends.push(e);
  ends.push(epochs);
  return ends;
}

/** Trials a pbt sweep runs: one per member and interval. */
export const pbtTrialCount = (epochs: number, config: PbtConfig): number =>
  config.population * pbtBoundaries(epochs, config.interval).length;

/**
 * The decisions at the end of interval `generation`: scores are each member's metric at the
 * boundary (null: the member failed; it ranks last). Members outside the bottom quantile carry on.
 */
export function pbtExploitExplore(opts: {
  space: SearchSpace;
  config: PbtConfig;
  seed: number;
  generation: number;
  goal: MetricGoal;
  members: readonly { params: Params; score: number | null }[];
}): PbtDecision[] {
  const { config, members } = opts;
  const ranked = rankMembers(members, opts.goal);
  const k = Math.max(1, Math.floor(members.length * config.quantile));
  const top = ranked.slice(0, k).filter((m) => members[m]!.score !== null);
  // Failed members (no score) always copy a working one, however many they are.
  const failed = ranked.filter((m) => members[m]!.score === null);
  const bottom = new Set([...ranked.slice(ranked.length - k), ...failed]);
  return members.map((m, member) => {
    if (!bottom.has(member) || top.length === 0 || top.includes(member)) {
      return { member, source: member, params: { ...m.params }, changes: {} };
    }
    const rng = mulberry32(deriveSeed(deriveSeed(opts.seed, 0x9b7 + opts.generation), member));
    const source = top[Math.floor(rng() * top.length)]!;
    const { params, changes } = explore(opts.space, config, members[source]!.params, rng);
    return { member, source, params, changes };
  });
}

/** Member indices, best first; failed members last; ties keep member order. */
function rankMembers(members: readonly { score: number | null }[], goal: MetricGoal): number[] {
  const key = (s: number | null) =>
    s === null || !Number.isFinite(s) ? -Infinity : goal === 'maximize' ? s : -s;
  return members
    .map((m, i) => ({ i, v: key(m.score) }))
    .sort((a, b) => b.v - a.v || a.i - b.i)
    .map((x) => x.i);
}

/** Perturbs or resamples each mutable param of a copied member. */
function explore(
  space: SearchSpace,
  config: PbtConfig,
  copied: Params,
  rng: Rng,
): { params: Params; changes: Record<string, PbtChange> } {
  const params = { ...copied };
  const changes: Record<string, PbtChange> = {};
  const mutable = config.mutable ?? Object.keys(space);
  for (const name of [...mutable].sort()) {
    const spec = space[name];
    const from = copied[name];
    if (!spec || from === undefined) continue;
    const resample = rng() < config.resampleProbability;
    const to = resample ? sampleParam(spec, rng) : perturb(spec, from, config.perturbFactors, rng);
    params[name] = to;
    if (to !== from) changes[name] = { from, to, how: resample ? 'resample' : 'perturb' };
  }
  return { params, changes };
}

/** ×factor within the range for numbers; a neighbouring value for choices. */
export function perturb(
  spec: ParamSpec,
  value: ParamValue,
  factors: readonly [number, number],
  rng: Rng,
): ParamValue {
  const up = rng() < 0.5;
  if (spec.type === 'choice') {
    const i = spec.values.indexOf(value);
    if (i < 0) return spec.values[0]!;
    return spec.values[Math.min(spec.values.length - 1, Math.max(0, i + (up ? 1 : -1)))]!;
  }
  const x = Number(value) * (up ? factors[1] : factors[0]);
  if (spec.type === 'int') {
    // An int must move (×1.2 of 2 rounds back to 2), so step at least once.
    const stepped = Math.round((x - spec.min) / spec.step) * spec.step + spec.min;
    const moved = stepped === value ? Number(value) + (up ? spec.step : -spec.step) : stepped;
    return Math.min(spec.max, Math.max(spec.min, moved));
  }
  return Math.min(spec.max, Math.max(spec.min, x));
}
