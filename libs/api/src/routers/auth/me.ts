import { z } from 'zod';
import { protectedProcedure } from '../../trpc';

export const me = protectedProcedure
  .input(z.void())
  .output(z.object({ id: z.string(), email: z.string(), role: z.enum(['admin', 'user']) }))
  .query(({ ctx }) => ({ id: ctx.user.id, email: ctx.user.email, role: ctx.user.role }));
