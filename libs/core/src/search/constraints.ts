/**
 * Outcome constraints (`constraints: [{ name, max | min }]`): limits on values a trial reports.
 * A trial that breaks one is infeasible: never the best, never on the Pareto front, and TPE puts
 * it among the bad trials, ordered by how far it is off (Optuna's constrained TPE).
 */
import { z } from 'zod';

export const outcomeConstraintSchema = z
  .object({
    name: z.string().min(1).describe('A value the trainer reports in its result.'),
    max: z.number().optional().describe('Feasible when the value is at most this.'),
    min: z.number().optional().describe('Feasible when the value is at least this.'),
  })
  .strict()
  .refine((c) => c.max !== undefined || c.min !== undefined, {
    message: 'a constraint needs max, min or both',
  })
  .refine((c) => c.max === undefined || c.min === undefined || c.min <= c.max, {
    message: 'min must not exceed max',
  });
export type OutcomeConstraint = z.infer<typeof outcomeConstraintSchema>;

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
