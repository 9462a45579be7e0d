/**
 * Outcome constraints as a spec states them (`constraints: [{ name, max | min }]`): limits on
 * values a trial reports. search/constraints measures how far a result is off them.
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
