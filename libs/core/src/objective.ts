import type { MetricGoal } from './spec/sweep-spec';

/** True when `a` is a better objective value than `b` under `goal`. NaN is never better. */
export function isBetter(a: number, b: number | null | undefined, goal: MetricGoal): boolean {
  if (Number.isNaN(a)) return false;
  if (b === null || b === undefined || Number.isNaN(b)) return true;
  return goal === 'maximize' ? a > b : a < b;
}

/**
 * A trial's values in objective order: the sweep metric's value, then each extra objective taken
 * from the trainer's result. Null when an extra one is missing or not finite; the primary value
 * passes through as it is (callers decide what a non-finite one means to them).
 */
export function objectiveValues(
  primary: number,
  values: Readonly<Record<string, number>>,
  objectives: readonly { name: string }[],
): number[] | null {
  const extra = objectives.map((o) => values[o.name]);
  if (!extra.every((v): v is number => typeof v === 'number' && Number.isFinite(v))) return null;
  return [primary, ...extra];
}
