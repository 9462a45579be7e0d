import type { Db } from '../client';

/** Failed sign-ins under one key ("account:<email>" or "address:<ip>"). */
export interface SignInFailureEntry {
  failures: number;
  lockedUntil: Date;
  lastFailure: Date;
}

/**
 * Sign-in failure counters in the database, so every dashboard process sees the same counts and
 * a restart forgets nothing.
 */
export function createSignInFailureRepository(db: Db) {
  return {
    async get(key: string): Promise<SignInFailureEntry | null> {
      return db.signInFailure.findUnique({
        where: { key },
        select: { failures: true, lockedUntil: true, lastFailure: true },
      });
    },

    async put(key: string, entry: SignInFailureEntry): Promise<void> {
      await db.signInFailure.upsert({ where: { key }, create: { key, ...entry }, update: entry });
    },

    async delete(key: string): Promise<void> {
      await db.signInFailure.deleteMany({ where: { key } });
    },

    /** Forgets entries whose last failure is older than `before` and that are not locked. */
    async prune(before: Date, now: Date): Promise<number> {
      const { count } = await db.signInFailure.deleteMany({
        where: { lastFailure: { lt: before }, lockedUntil: { lte: now } },
      });
      return count;
    },
  };
}

export type SignInFailureRepository = ReturnType<typeof createSignInFailureRepository>;
