import { z } from 'zod';
import { compareTrials, comparisonSchema, MAX_COMPARE_TRIALS } from '../../domain/compare';
import { viewerProcedure } from '../../trpc';

export const trials = viewerProcedure
  .input(z.object({ trialIds: z.array(z.string().min(1).max(80)).min(1).max(MAX_COMPARE_TRIALS) }))
  .output(comparisonSchema)
  .query(({ ctx, input }) => compareTrials(ctx, input.trialIds));
