import { z } from 'zod';
import { revokeApiToken } from '../../domain/auth/api-tokens';
import { viewerProcedure } from '../../trpc';
import { apiTokenViewSchema } from '../auth/schemas';

export const revoke = viewerProcedure
  .input(z.object({ id: z.string().min(1) }))
  .output(apiTokenViewSchema)
  .mutation(({ ctx, input }) => revokeApiToken(ctx, ctx.user, input.id));
