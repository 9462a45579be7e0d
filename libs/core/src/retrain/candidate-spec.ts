import type { ParamSpec, Params, SearchSpace } from '../spec/search-space';
import type { SweepSpec } from '../spec/sweep-spec';
import type { RetrainPolicy } from './schedule-spec';

/** Trials of a sweep-around-champion run when the schedule's spec sets no maxTrials. */
export const DEFAULT_AROUND_TRIALS = 4;
/** Share of each numeric range kept around the champion's value. */
export const DEFAULT_NARROWING = 0.25;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** One numeric dimension shrunk to `factor` of its width, centred (clamped) on `value`. */
export function narrowParam(p: ParamSpec, value: unknown, factor = DEFAULT_NARROWING): ParamSpec {
  if (typeof value !== 'number' || p.type === 'choice') return p;
  if (p.type === 'uniform') {
    const half = ((p.max - p.min) * factor) / 2;
    return { ...p, min: clamp(value - half, p.min, p.max), max: clamp(value + half, p.min, p.max) };
  }
  if (p.type === 'loguniform') {
    const [lo, hi, v] = [Math.log(p.min), Math.log(p.max), Math.log(value)];
    const half = ((hi - lo) * factor) / 2;
    return {
      ...p,
      min: Math.exp(clamp(v - half, lo, hi)),
      max: Math.exp(clamp(v + half, lo, hi)),
    };
  }
  // int: keep the step grid (min + k·step) and at least one step either side of the value.
  const steps = Math.max(1, Math.round(((p.max - p.min) / p.step) * factor * 0.5));
  const min = clamp(value - steps * p.step, p.min, p.max);
  const max = clamp(value + steps * p.step, p.min, p.max);
  const aligned = p.min + Math.ceil((min - p.min) / p.step) * p.step;
  return { ...p, min: Math.min(aligned, max), max };
}

/**
 * The search space narrowed around the champion's params. Params the champion lacks, and params
 * another param's `when` names (narrowing them could drop a value the condition needs), stay
 * as they were.
 */
export function narrowSearchSpace(
  space: SearchSpace,
  champion: Params,
  factor = DEFAULT_NARROWING,
): SearchSpace {
  const conditioning = new Set(Object.values(space).flatMap((p) => Object.keys(p.when ?? {})));
  const out: SearchSpace = {};
  for (const [name, p] of Object.entries(space)) {
    out[name] =
      name in champion && !conditioning.has(name) ? narrowParam(p, champion[name], factor) : p;
  }
  return out;
}

/**
 * The sweep spec a retrain run executes:
 * - no champion yet: the schedule's spec as written (its best trial becomes the first champion);
 * - retrain-champion: one trial with the champion's params (each searched param pinned);
 * - sweep-around-champion: a small random (or TPE) sweep over ranges narrowed around them.
 */
export function candidateSweepSpec(
  spec: SweepSpec,
  policy: RetrainPolicy,
  champion: Params | null,
  runLabel: string,
): SweepSpec {
  const name = `${spec.name} · ${runLabel}`.slice(0, 120);
  if (!champion) return { ...spec, name };
  if (policy === 'retrain-champion') {
    const searchSpace: SearchSpace = {};
    for (const key of Object.keys(spec.searchSpace)) {
      // Conditional params the champion did not use stay absent; pinned ones need no `when`.
      if (key in champion) searchSpace[key] = { type: 'choice', values: [champion[key]!] };
    }
    if (Object.keys(searchSpace).length === 0) {
      const [key, p] = Object.entries(spec.searchSpace)[0]!;
      searchSpace[key] = p;
    }
    return { ...spec, name, searchSpace, algorithm: 'grid', maxTrials: 1, maxParallel: 1 };
  }
  return {
    ...spec,
    name,
    searchSpace: narrowSearchSpace(spec.searchSpace, champion),
    algorithm: spec.algorithm === 'tpe' || spec.algorithm === 'bohb' ? spec.algorithm : 'random',
    maxTrials: spec.maxTrials ?? DEFAULT_AROUND_TRIALS,
  };
}
