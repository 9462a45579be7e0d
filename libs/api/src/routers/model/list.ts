import { z } from 'zod';
import { modelVersionViewSchema } from '@retune/core';
import { listModelVersions } from '../../domain/models/model-queries';
import { viewerProcedure } from '../../trpc';

/** Model versions, newest first per task. */
export const list = viewerProcedure
  .input(
    z
      .object({
        task: z.string().min(1).max(64).optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .default({ limit: 200 }),
  )
  .output(z.array(modelVersionViewSchema))
  .query(({ ctx, input }) => listModelVersions(ctx, input));
