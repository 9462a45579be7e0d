import { z } from 'zod';
import { viewerProcedure } from '../../trpc';

/**
 * The task patterns the caller was granted promotion on (admins promote anywhere without one),
 * so pages show Promote only where it will be accepted.
 */
export const promotionTasks = viewerProcedure
  .input(z.void())
  .output(z.array(z.string()))
  .query(({ ctx }) => ctx.repos.promotionGrants.tasksOf(ctx.user.id));
