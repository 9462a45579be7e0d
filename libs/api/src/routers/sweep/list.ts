import { z } from 'zod';
import { sweepStatusSchema, sweepSummarySchema } from '@retune/core';
import { listSweeps } from '../../domain/sweep-queries';
import { viewerProcedure } from '../../trpc';

export const list = viewerProcedure
  .input(
    z
      .object({
        limit: z.number().int().min(1).max(1000).default(100),
        status: sweepStatusSchema.optional(),
        /** Part of the sweep's name. */
        search: z.string().trim().max(120).optional(),
      })
      .default({ limit: 100 }),
  )
  .output(z.array(sweepSummarySchema))
  .query(({ ctx, input }) => listSweeps(ctx, input));
