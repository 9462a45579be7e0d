import { z } from 'zod';
import { ROLES } from '@retune/core';
import { listUsers, setUserRole } from '../../domain/auth/users';
import { adminProcedure, router } from '../../trpc';
import { userViewSchema } from '../auth/schemas';

export const userRouter = router({
  list: adminProcedure
    .input(z.void())
    .output(z.array(userViewSchema))
    .query(({ ctx }) => listUsers(ctx)),
  /** `userId` is a user id or an email. */
  setRole: adminProcedure
    .meta({ audit: true })
    .input(z.object({ userId: z.string().min(1).max(320), role: z.enum(ROLES) }))
    .output(userViewSchema)
    .mutation(({ ctx, input }) => setUserRole(ctx, input.userId, input.role)),
});
