import { z } from 'zod';
import { modelVersionViewSchema } from '@retune/core';
import { registerModelFromTrial } from '../../domain/models/register-from-trial';
import { memberProcedure } from '../../trpc';

/**
 * A completed trial's model into the registry (optionally as its task's champion). The
 * procedure keeps its public name (SDK, roles); the domain function says what it does.
 */
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
  .mutation(({ ctx, input }) => registerModelFromTrial(ctx, input, ctx.user));
