import { z } from 'zod';
import { modelVersionViewSchema } from '@retune/core';
import { promoteModelVersion } from '../../domain/models/model-queries';
import { memberProcedure } from '../../trpc';

/**
 * Makes a version its task's champion by hand (e.g. a rollback); recorded in the history. Members
 * need a promotion grant on the task (assertMayPromote).
 */
export const promote = memberProcedure
  .meta({ audit: true })
  .input(z.object({ id: z.string().min(1).max(64), reason: z.string().max(500).optional() }))
  .output(modelVersionViewSchema)
  .mutation(({ ctx, input }) => promoteModelVersion(ctx, input.id, input.reason, ctx.user));
