import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { signIn as signInUser } from '../../domain/auth/sessions';
import { throttleOf } from '../../domain/auth/sign-in-throttle';
import { publicProcedure } from '../../trpc';
import { credentialsSchema, userViewSchema } from './schemas';

// The one public mutation. The session token goes into the cookie, never into the response body.
export const signIn = publicProcedure
  .input(credentialsSchema)
  .output(z.object({ user: userViewSchema, expiresAt: z.string() }))
  .mutation(async ({ ctx, input }) => {
    if (!ctx.cookies) {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: 'sign-in needs a cookie (the dashboard); scripts use an API token',
      });
    }
    const { user, token, expiresAt } = await signInUser(ctx, input, new Date(), {
      limiter: throttleOf(ctx),
      address: ctx.clientAddress,
    });
    ctx.cookies.set(token, expiresAt);
    return { user, expiresAt: expiresAt.toISOString() };
  });
