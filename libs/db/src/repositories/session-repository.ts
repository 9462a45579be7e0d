import type { Db } from '../client';
import { toUserView, userSelect, type UserView } from './user-repository';

/** Dashboard sessions. Only the SHA-256 of the cookie's random token is ever stored. */
export function createSessionRepository(db: Db) {
  return {
    async create(input: {
      id: string;
      tokenHash: string;
      userId: string;
      expiresAt: Date;
    }): Promise<void> {
      await db.session.create({ data: input, select: { id: true } });
    },

    /** The user of an unexpired session, or null (unknown or expired token). */
    async findUser(
      tokenHash: string,
      now: Date,
    ): Promise<{ sessionId: string; user: UserView } | null> {
      const row = await db.session.findUnique({
        where: { tokenHash },
        select: { id: true, expiresAt: true, user: { select: userSelect } },
      });
      if (!row || row.expiresAt <= now) return null;
      return { sessionId: row.id, user: toUserView(row.user) };
    },

    async deleteByTokenHash(tokenHash: string): Promise<void> {
      await db.session.deleteMany({ where: { tokenHash } });
    },

    /** Signs a user out everywhere (a password change); returns how many sessions ended. */
    async deleteByUser(userId: string): Promise<number> {
      return (await db.session.deleteMany({ where: { userId } })).count;
    },

    /** Removes expired sessions; returns how many. */
    async deleteExpired(now: Date): Promise<number> {
      return (await db.session.deleteMany({ where: { expiresAt: { lte: now } } })).count;
    },
  };
}

export type SessionRepository = ReturnType<typeof createSessionRepository>;
