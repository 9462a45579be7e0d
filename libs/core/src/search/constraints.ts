/**
 * Outcome constraints (`constraints: [{ name, max | min }]`): limits on values a trial reports.
 * A trial that breaks one is infeasible: never the best, never on the Pareto front, and TPE puts
 * it among the bad trials, ordered by how far it is off (Optuna's constrained TPE).
 */
import type { OutcomeConstraint } from '../spec/outcome-constraint';

/** The constraints a result does not report (a finite number) at all. */
export function missingConstraintValues(
  values: Readonly<Record<string, number>>,
  constraints: readonly OutcomeConstraint[],
): string[] {
  return constraints.map((c) => c.name).filter((n) => !Number.isFinite(values[n]));
}

/**
 * How far a result is off its constraints: the sum of the amounts by which each value exceeds
 * its max or falls short of its min (Optuna's sum of positive constraint values). 0: feasible.
 */
export function constraintViolation(
  values: Readonly<Record<string, number>>,
  constraints: readonly OutcomeConstraint[],
): number {
  let total = 0;
  for (const c of constraints) {
    const v = values[c.name];
    if (v === undefined || !Number.isFinite(v)) return Infinity;
    if (c.max !== undefined && v > c.max) total += v - c.max;
    if (c.min !== undefined && v < c.min) total += c.min - v;
  }
  return total;
}

/**
 * Whether a finished trial is infeasible: marked so when its outcome was recorded, or (trials
 * recorded before the mark existed) completed with values off the sweep's constraints.
 */
export function isInfeasibleTrial(
  trial: { status: string; infeasible?: boolean; values: Readonly<Record<string, number>> },
  constraints: readonly OutcomeConstraint[],
): boolean {
  if (trial.infeasible) return true;
  return (
    trial.status === 'completed' &&
    constraints.length > 0 &&
    constraintViolation(trial.values, constraints) > 0
  );
}
