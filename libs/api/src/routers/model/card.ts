import { z } from 'zod';
import { modelCard } from '../../domain/models/model-queries';
import { viewerProcedure } from '../../trpc';

/** The model card `retune model export` writes: identity, lineage and metrics. */
export const card = viewerProcedure
  .input(z.object({ id: z.string().min(1).max(64) }))
  .output(z.record(z.string(), z.unknown()))
  .query(({ ctx, input }) => modelCard(ctx, input.id));
