import type { Db } from '../client';

/** A member's right to promote models of a task, or of tasks matching a `prefix*` pattern. */
export interface PromotionGrantView {
  userId: string;
  email: string;
  task: string;
  grantedBy: string;
  createdAt: string;
}

export function createPromotionGrantRepository(db: Db) {
  const toView = (row: {
    userId: string;
    task: string;
    grantedBy: string;
    createdAt: Date;
    user: { email: string };
  }): PromotionGrantView => ({
    userId: row.userId,
    email: row.user.email,
    task: row.task,
    grantedBy: row.grantedBy,
    createdAt: row.createdAt.toISOString(),
  });
  return {
    /** Granting twice keeps the first grant. */
    async grant(input: {
      userId: string;
      task: string;
      grantedBy: string;
    }): Promise<PromotionGrantView> {
      const row = await db.promotionGrant.upsert({
        where: { userId_task: { userId: input.userId, task: input.task } },
        create: input,
        update: {},
        include: { user: { select: { email: true } } },
      });
      return toView(row);
    },

    /** True if there was such a grant. */
    async revoke(userId: string, task: string): Promise<boolean> {
      const { count } = await db.promotionGrant.deleteMany({ where: { userId, task } });
      return count > 0;
    },

    /** The task patterns a user may promote. */
    async tasksOf(userId: string): Promise<string[]> {
      const rows = await db.promotionGrant.findMany({ where: { userId }, select: { task: true } });
      return rows.map((r) => r.task);
    },

    async list(filter: { userId?: string } = {}): Promise<PromotionGrantView[]> {
      const rows = await db.promotionGrant.findMany({
        where: filter.userId ? { userId: filter.userId } : {},
        include: { user: { select: { email: true } } },
        orderBy: [{ userId: 'asc' }, { task: 'asc' }],
      });
      return rows.map(toView);
    },
  };
}

export type PromotionGrantRepository = ReturnType<typeof createPromotionGrantRepository>;
