import { z } from 'zod';

/** Early stopping as a spec states it; search/create-pruner builds the pruner from it. */
export const prunerConfigSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('nop') }).strict(),
  z
    .object({
      type: z.literal('median'),
      nStartupTrials: z
        .number()
        .int()
        .min(0)
        .default(5)
        .describe('No pruning until this many trials have completed.'),
      nWarmupSteps: z.number().int().min(0).default(0).describe('No pruning before this step.'),
      intervalSteps: z
        .number()
        .int()
        .min(1)
        .default(1)
        .describe('Check only once per this many steps (after the warm-up).'),
      nMinTrials: z
        .number()
        .int()
        .min(1)
        .default(1)
        .describe('Completed trials that must have reported the step for its median to count.'),
    })
    .strict(),
  z
    .object({
      type: z.literal('successiveHalving'),
      minResource: z.number().positive().default(1).describe("The first rung's step (epoch)."),
      reductionFactor: z
        .number()
        .int()
        .min(2)
        .default(4)
        .describe('η: rungs at minResource·η^(s+k); the top 1/η at a rung go on.'),
      minEarlyStoppingRate: z
        .number()
        .int()
        .min(0)
        .default(0)
        .describe('s: skips the first s rungs.'),
    })
    .strict(),
  z
    .object({
      type: z.literal('hyperband'),
      minResource: z.number().int().min(1).default(1).describe("The first rung's step (epoch)."),
      maxResource: z
        .number({ error: 'hyperband needs maxResource: the epochs a full trial runs' })
        .int()
        .min(1)
        .describe('The epochs a full trial runs (the last rung of every bracket).'),
      reductionFactor: z
        .number()
        .int()
        .min(2)
        .default(3)
        .describe('η: each bracket keeps the top 1/η at a rung; ⌊log_η(max/min)⌋ + 1 brackets.'),
    })
    .strict()
    .refine((c) => c.maxResource >= c.minResource, {
      message: 'maxResource must be at least minResource',
      path: ['maxResource'],
    }),
]);
export type PrunerConfig = z.output<typeof prunerConfigSchema>;
export type PrunerConfigInput = z.input<typeof prunerConfigSchema>;
