import { paramImportances, parseSweepSpec, type FrozenTrial, type SweepDetail } from '@retune/core';
import type { DomainDeps } from './deps';
import { getSweep } from './sweep-queries';

export interface ParamImportance {
  param: string;
  importance: number;
}

/**
 * How much each searched parameter explains the sweep metric (fANOVA main effects on a random
 * forest fitted to the completed trials). Empty until two trials have completed.
 */
export async function getParamImportance(
  deps: Pick<DomainDeps, 'repos'>,
  sweepId: string,
): Promise<ParamImportance[]> {
  return paramImportanceOf(await getSweep(deps, sweepId));
}

/** Beyond this many completed trials the forest is fitted to an even sample of them. */
const MAX_IMPORTANCE_TRIALS = 300;

/** Every (n / max)-th item, deterministic, spread over the whole sweep (early and late trials). */
function evenSample<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  return Array.from({ length: max }, (_, i) => items[Math.floor((i * items.length) / max)]!);
}

/**
 * Fitted importances by sweep and the state of its completed trials. The result is a pure
 * function of those trials, so a sweep page polled every 2 s (or reopened) refits only when a
 * trial has finished since; a finished sweep is fitted once per server process.
 */
const cache = new Map<string, ParamImportance[]>();
const CACHE_ENTRIES = 64;

/** Forgets cached fits (benchmarks measure the cold path with it). */
export function clearParamImportanceCache(): void {
  cache.clear();
}

/** The same, for a sweep already loaded (the sweep page has it in hand). */
export function paramImportanceOf(sweep: SweepDetail): ParamImportance[] {
  let done = 0;
  let last = '';
  for (const t of sweep.trials) {
    if (t.status !== 'completed' || t.objective === null) continue;
    done++;
    if ((t.finishedAt ?? '') > last) last = t.finishedAt ?? '';
  }
  const key = `${sweep.id}|${done}|${last}`;
  const hit = cache.get(key);
  if (hit) return hit.map((r) => ({ ...r }));
  const fitted = fitImportance(sweep);
  if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, fitted);
  return fitted.map((r) => ({ ...r }));
}

function fitImportance(sweep: SweepDetail): ParamImportance[] {
  const spec = parseSweepSpec(sweep.spec);
  const completed: FrozenTrial[] = sweep.trials
    .filter((t) => t.status === 'completed' && t.objective !== null)
    .map((t) => ({
      number: t.number,
      params: t.params,
      state: 'completed',
      values: [t.objective!],
      intermediate: {},
    }));
  if (completed.length < 2) return [];
  const shares = paramImportances(evenSample(completed, MAX_IMPORTANCE_TRIALS), spec.searchSpace, {
    seed: spec.seed,
    // 64 trees (Optuna's default) up to 256 trials; fewer over more rows keep a 1,000-trial
    // sweep page fast while the forest still averages enough trees.
    nTrees: completed.length > 256 ? 32 : 64,
  });
  return Object.entries(shares).map(([param, importance]) => ({ param, importance }));
}
