import { z } from 'zod';
import { signOut as endSession } from '../../domain/auth/sessions';
import { viewerProcedure } from '../../trpc';

export const signOut = viewerProcedure
  .input(z.void())
  .output(z.object({ ok: z.literal(true) }))
  .mutation(async ({ ctx }) => {
    if (ctx.sessionToken) await endSession(ctx, ctx.sessionToken);
    ctx.cookies?.clear();
    return { ok: true as const };
  });
