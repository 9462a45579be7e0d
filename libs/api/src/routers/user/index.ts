import { z } from 'zod';
import { ROLES } from '@retune/core';
import { createUser, listUsers, setUserRole } from '../../domain/auth/users';
import {
  grantPromotion,
  listPromotionGrants,
  revokePromotion,
} from '../../domain/models/promotion-rights';
import { adminProcedure, router } from '../../trpc';
import { userViewSchema } from '../auth/schemas';

const userRef = z.string().min(1).max(320);
const grantInput = z.object({ userId: userRef, task: z.string().min(1).max(121) });
const grantViewSchema = z.object({
  userId: z.string(),
  email: z.string(),
  task: z.string(),
  grantedBy: z.string(),
  createdAt: z.string(),
});

export const userRouter = router({
  list: adminProcedure
    .input(z.void())
    .output(z.array(userViewSchema))
    .query(({ ctx }) => listUsers(ctx)),
  /** An account with a password the admin hands over (at least 8 characters). */
  create: adminProcedure
    .meta({ audit: true })
    .input(
      z.object({
        email: z.string().min(3).max(320),
        password: z.string().min(1).max(1024),
        role: z.enum(ROLES).default('member'),
        name: z.string().max(200).optional(),
      }),
    )
    .output(userViewSchema)
    .mutation(({ ctx, input }) => createUser(ctx, input)),
  /** `userId` is a user id or an email. */
  setRole: adminProcedure
    .meta({ audit: true })
    .input(z.object({ userId: userRef, role: z.enum(ROLES) }))
    .output(userViewSchema)
    .mutation(({ ctx, input }) => setUserRole(ctx, input.userId, input.role)),
  /** Who may promote models of which tasks (members; admins promote anywhere). */
  grants: adminProcedure
    .input(z.object({ userId: userRef.optional() }).default({}))
    .output(z.array(grantViewSchema))
    .query(({ ctx, input }) => listPromotionGrants(ctx, input)),
  /** Lets a member promote models of a task: a name, a prefix ending in `*`, or `*`. */
  grantPromotion: adminProcedure
    .meta({ audit: true })
    .input(grantInput)
    .output(grantViewSchema)
    .mutation(({ ctx, input }) => grantPromotion(ctx, input, ctx.user.email)),
  revokePromotion: adminProcedure
    .meta({ audit: true })
    .input(grantInput)
    .output(z.object({ id: z.string(), task: z.string(), revoked: z.boolean() }))
    .mutation(({ ctx, input }) => revokePromotion(ctx, input)),
});
