import { z } from 'zod';
import { getParamImportance } from '../../domain/param-importance';
import { viewerProcedure } from '../../trpc';

export const importance = viewerProcedure
  .input(z.object({ id: z.string().min(1).max(64) }))
  .output(z.array(z.object({ param: z.string(), importance: z.number().min(0).max(1) })))
  .query(({ ctx, input }) => getParamImportance(ctx, input.id));
