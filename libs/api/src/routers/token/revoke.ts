import { z } from 'zod';
import { revokeApiToken } from '../../domain/auth/api-tokens';
import { protectedProcedure } from '../../trpc';
import { apiTokenViewSchema } from '../auth/schemas';

export const revoke = protectedProcedure
  .input(z.object({ id: z.string().min(1) }))
  .output(apiTokenViewSchema)
  .mutation(({ ctx, input }) => revokeApiToken(ctx, ctx.user, input.id));
