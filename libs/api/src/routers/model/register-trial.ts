import { z } from 'zod';
import { modelVersionViewSchema } from '@retune/core';
import { registerTrialModel } from '../../domain/models/register-trial';
import { memberProcedure } from '../../trpc';

/** A completed trial's model into the registry (optionally as its task's champion). */
export const registerTrial = memberProcedure
  .meta({ audit: true })
  .input(
    z.object({
      trialId: z.string().min(1).max(80),
      task: z.string().max(120).optional(),
      champion: z.boolean().default(false),
    }),
  )
  .output(modelVersionViewSchema)
  .mutation(({ ctx, input }) => registerTrialModel(ctx, input, ctx.user.email));
