import { z } from 'zod';

/** Early stopping as a spec states it; search/pruners builds the pruner from it. */
export const prunerConfigSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('nop') }).strict(),
  z
    .object({
      type: z.literal('median'),
      /** No pruning until this many trials have completed. */
      nStartupTrials: z.number().int().min(0).default(5),
      /** No pruning before this step. */
      nWarmupSteps: z.number().int().min(0).default(0),
      /** Check only once per this many steps (after the warm-up). */
      intervalSteps: z.number().int().min(1).default(1),
      /** Completed trials that must have reported the step for its median to count. */
      nMinTrials: z.number().int().min(1).default(1),
    })
    .strict(),
  z
    .object({
      type: z.literal('successiveHalving'),
      /** The first rung's step (epoch). */
      minResource: z.number().positive().default(1),
      /** η: rungs at minResource·η^(s+k); the top 1/η at a rung go on. */
      reductionFactor: z.number().int().min(2).default(4),
      /** s: skips the first s rungs. */
      minEarlyStoppingRate: z.number().int().min(0).default(0),
    })
    .strict(),
]);
export type PrunerConfig = z.output<typeof prunerConfigSchema>;
export type PrunerConfigInput = z.input<typeof prunerConfigSchema>;
