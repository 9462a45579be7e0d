import { z } from 'zod';
import { getTrialLogs, trialLogLineSchema } from '../../domain/trial-queries';
import { viewerProcedure } from '../../trpc';

export const logs = viewerProcedure
  .input(
    z.object({
      id: z.string().min(1).max(80),
      limit: z.number().int().min(1).max(5000).default(500),
    }),
  )
  .output(z.array(trialLogLineSchema))
  .query(({ ctx, input }) => getTrialLogs(ctx, input.id, input.limit));
