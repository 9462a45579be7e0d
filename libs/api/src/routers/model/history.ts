import { z } from 'zod';
import { championChangeViewSchema } from '@retune/core';
import { championHistory } from '../../domain/models/model-queries';
import { viewerProcedure } from '../../trpc';

/** Champion changes, newest first. */
export const history = viewerProcedure
  .input(
    z
      .object({
        task: z.string().min(1).max(64).optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .default({ limit: 200 }),
  )
  .output(z.array(championChangeViewSchema))
  .query(({ ctx, input }) => championHistory(ctx, input));
