import { z } from 'zod';
import { changePassword as change } from '../../domain/auth/sessions';
import { viewerProcedure } from '../../trpc';

/** Changes the caller's own password and signs them out everywhere (this browser included). */
export const changePassword = viewerProcedure
  .input(
    z.object({
      currentPassword: z.string().min(1).max(1024),
      newPassword: z.string().min(1).max(1024),
    }),
  )
  .output(z.object({ sessionsEnded: z.number().int() }))
  .mutation(async ({ ctx, input }) => {
    const sessionsEnded = await change(ctx, ctx.user.id, input);
    ctx.cookies?.clear();
    return { sessionsEnded };
  });
