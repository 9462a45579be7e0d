import { z } from 'zod';
import { sweepSummarySchema, trialViewSchema } from '@retune/core';
import { getSweepOverview } from '../../domain/sweep-page';
import { viewerProcedure } from '../../trpc';

/** sweep.get without the trials: counts and the best trial, for pages of 10,000-trial sweeps. */
export const overview = viewerProcedure
  .input(z.object({ id: z.string().min(1).max(64) }))
  .output(
    sweepSummarySchema.extend({
      dataset: z.string(),
      baseModel: z.string(),
      spec: z.unknown(),
      best: trialViewSchema.nullable(),
    }),
  )
  .query(({ ctx, input }) => getSweepOverview(ctx, input.id));
