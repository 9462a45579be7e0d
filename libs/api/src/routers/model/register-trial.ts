import { z } from 'zod';
import { modelVersionViewSchema } from '@retune/core';
import { registerTrialModel } from '../../domain/models/register-trial';
import { protectedProcedure } from '../../trpc';

/** A completed trial's model into the registry (optionally as its task's champion). */
export const registerTrial = protectedProcedure
  .input(
    z.object({
      trialId: z.string().min(1).max(80),
      task: z.string().max(120).optional(),
      champion: z.boolean().default(false),
    }),
  )
  .output(modelVersionViewSchema)
  .mutation(({ ctx, input }) => registerTrialModel(ctx, input, ctx.user.email));
