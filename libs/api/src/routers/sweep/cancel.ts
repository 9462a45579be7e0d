import { z } from 'zod';
import { cancelSweep } from '../../domain/cancel-sweep';
import { memberProcedure } from '../../trpc';

export const cancel = memberProcedure
  .meta({ audit: true })
  .input(z.object({ id: z.string().min(1).max(64) }))
  .output(z.object({ id: z.string(), status: z.literal('cancelling') }))
  .mutation(({ ctx, input }) => cancelSweep(ctx, input.id));
