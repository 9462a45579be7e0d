import { z } from 'zod';
import { modelVersionViewSchema } from '@retune/core';
import { registerModelFromTrial } from '../../domain/models/register-from-trial';
import { protectedProcedure } from '../../trpc';

/** A completed trial's model into the registry (optionally as its task's champion). */
export const registerFromTrial = protectedProcedure
  .input(
    z.object({
      trialId: z.string().min(1).max(80),
      task: z.string().max(120).optional(),
      champion: z.boolean().default(false),
    }),
  )
  .output(modelVersionViewSchema)
  .mutation(({ ctx, input }) => registerModelFromTrial(ctx, input, ctx.user.email));
