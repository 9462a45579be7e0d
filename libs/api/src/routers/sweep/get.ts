import { z } from 'zod';
import { sweepDetailSchema } from '@retune/core';
import { getSweep } from '../../domain/sweep-queries';
import { viewerProcedure } from '../../trpc';

export const get = viewerProcedure
  .input(z.object({ id: z.string().min(1).max(64) }))
  .output(sweepDetailSchema)
  .query(({ ctx, input }) => getSweep(ctx, input.id));
