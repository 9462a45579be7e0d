import type { MetricGoal } from './spec/sweep-spec';

/** True when `a` is a better objective value than `b` under `goal`. NaN is never better. */
export function isBetter(a: number, b: number | null | undefined, goal: MetricGoal): boolean {
  if (Number.isNaN(a)) return false;
  if (b === null || b === undefined || Number.isNaN(b)) return true;
  return goal === 'maximize' ? a > b : a < b;
}

export function pickBest<T extends { objective: number | null }>(
  items: readonly T[],
  goal: MetricGoal,
): T | null {
  let best: T | null = null;
  for (const it of items) {
    if (it.objective !== null && isBetter(it.objective, best?.objective, goal)) best = it;
  }
  return best;
}
