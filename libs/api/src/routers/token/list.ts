import { z } from 'zod';
import { listApiTokens } from '../../domain/auth/api-tokens';
import { viewerProcedure } from '../../trpc';
import { apiTokenViewSchema } from '../auth/schemas';

export const list = viewerProcedure
  .input(z.void())
  .output(z.array(apiTokenViewSchema))
  .query(({ ctx }) => listApiTokens(ctx, ctx.user));
