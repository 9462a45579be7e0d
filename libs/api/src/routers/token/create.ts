import { z } from 'zod';
import { createApiToken } from '../../domain/auth/api-tokens';
import { viewerProcedure } from '../../trpc';
import { apiTokenViewSchema } from '../auth/schemas';

/** A token for the signed-in user; `token` is in this response only, never again. */
export const create = viewerProcedure
  .input(z.object({ name: z.string().min(1).max(100), readOnly: z.boolean().default(false) }))
  .output(z.object({ token: z.string(), apiToken: apiTokenViewSchema }))
  .mutation(({ ctx, input }) =>
    createApiToken(ctx, {
      userId: ctx.user.id,
      name: input.name,
      scope: input.readOnly ? 'read' : 'full',
    }),
  );
