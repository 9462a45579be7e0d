import { z } from 'zod';
import { metricPointViewSchema } from '@retune/core';
import { getTrialMetrics } from '../../domain/sweep-queries';
import { viewerProcedure } from '../../trpc';

export const metrics = viewerProcedure
  .input(z.object({ trialId: z.string().min(1).max(80) }))
  .output(z.array(metricPointViewSchema))
  .query(({ ctx, input }) => getTrialMetrics(ctx, input.trialId));
