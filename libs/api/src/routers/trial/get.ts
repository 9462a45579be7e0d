import { z } from 'zod';
import { getTrial, trialDetailSchema } from '../../domain/trial-queries';
import { protectedProcedure } from '../../trpc';

export const get = protectedProcedure
  .input(z.object({ id: z.string().min(1).max(80) }))
  .output(trialDetailSchema)
  .query(({ ctx, input }) => getTrial(ctx, input.id));
