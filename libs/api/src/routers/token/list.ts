import { z } from 'zod';
import { listApiTokens } from '../../domain/auth/api-tokens';
import { protectedProcedure } from '../../trpc';
import { apiTokenViewSchema } from '../auth/schemas';

export const list = protectedProcedure
  .input(z.void())
  .output(z.array(apiTokenViewSchema))
  .query(({ ctx }) => listApiTokens(ctx, ctx.user));
