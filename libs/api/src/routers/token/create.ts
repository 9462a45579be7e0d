import { z } from 'zod';
import { createApiToken } from '../../domain/auth/api-tokens';
import { protectedProcedure } from '../../trpc';
import { apiTokenViewSchema } from '../auth/schemas';

/** A token for the signed-in user; `token` is in this response only, never again. */
export const create = protectedProcedure
  .input(z.object({ name: z.string().min(1).max(100) }))
  .output(z.object({ token: z.string(), apiToken: apiTokenViewSchema }))
  .mutation(({ ctx, input }) => createApiToken(ctx, { userId: ctx.user.id, name: input.name }));
