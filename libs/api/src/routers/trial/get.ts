import { z } from 'zod';
import { getTrial, trialDetailSchema } from '../../domain/trial-queries';
import { viewerProcedure } from '../../trpc';

export const get = viewerProcedure
  .input(z.object({ id: z.string().min(1).max(80) }))
  .output(trialDetailSchema)
  .query(({ ctx, input }) => getTrial(ctx, input.id));
