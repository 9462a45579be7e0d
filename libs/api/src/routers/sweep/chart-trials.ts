import { z } from 'zod';
import { trialViewSchema } from '@retune/core';
import { getChartTrials } from '../../domain/sweep-page';
import { viewerProcedure } from '../../trpc';

/** The best scored trials and an even sample of the rest (parallel coordinates, importance). */
export const chartTrials = viewerProcedure
  .input(z.object({ id: z.string().min(1).max(64) }))
  .output(z.array(trialViewSchema))
  .query(({ ctx, input }) => getChartTrials(ctx, input.id));
