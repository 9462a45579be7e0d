import type { Db } from '../client';
import { iso } from './mappers';
import { toUserView, userSelect, type UserView } from './user-repository';

/** What a token may do: `full` acts with its owner's role, `read` only reads. */
export type ApiTokenScope = 'full' | 'read';
const toScope = (scope: string): ApiTokenScope => (scope === 'full' ? 'full' : 'read');

/** An API token as listed: never the token or its hash. */
export interface ApiTokenView {
  id: string;
  name: string;
  /** The token's first characters, to tell tokens apart in lists. */
  prefix: string;
  userId: string;
  userEmail: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  scope: ApiTokenScope;
}

const select = {
  id: true,
  name: true,
  prefix: true,
  userId: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  scope: true,
  user: { select: { email: true } },
} as const;

function toView(row: {
  id: string;
  name: string;
  prefix: string;
  userId: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  scope: string;
  user: { email: string };
}): ApiTokenView {
  const { user, ...rest } = row;
  return {
    ...rest,
    scope: toScope(row.scope),
    userEmail: user.email,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: iso(row.lastUsedAt),
    revokedAt: iso(row.revokedAt),
  };
}

/** lastUsedAt is written at most this often per token, so every request is not a write. */
const TOUCH_INTERVAL_MS = 60_000;

export function createApiTokenRepository(db: Db) {
  return {
    async create(input: {
      id: string;
      name: string;
      prefix: string;
      tokenHash: string;
      userId: string;
      scope?: ApiTokenScope;
    }): Promise<ApiTokenView> {
      return toView(await db.apiToken.create({ data: input, select }));
    },

    /** The owner of an unrevoked token, or null. */
    async findUser(
      tokenHash: string,
    ): Promise<{ tokenId: string; scope: ApiTokenScope; user: UserView } | null> {
      const row = await db.apiToken.findUnique({
        where: { tokenHash },
        select: { id: true, revokedAt: true, scope: true, user: { select: userSelect } },
      });
      if (!row || row.revokedAt) return null;
      return { tokenId: row.id, scope: toScope(row.scope), user: toUserView(row.user) };
    },

    /** Records a use (throttled to once a minute per token). */
    async touch(id: string, now: Date): Promise<void> {
      await db.apiToken.updateMany({
        where: {
          id,
          OR: [
            { lastUsedAt: null },
            { lastUsedAt: { lt: new Date(now.getTime() - TOUCH_INTERVAL_MS) } },
          ],
        },
        data: { lastUsedAt: now },
      });
    },

    /** Tokens, newest first; of one user when userId is given. */
    async list(userId?: string): Promise<ApiTokenView[]> {
      const rows = await db.apiToken.findMany({
        where: userId ? { userId } : {},
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        select,
      });
      return rows.map(toView);
    },

    async get(id: string): Promise<ApiTokenView | null> {
      const row = await db.apiToken.findUnique({ where: { id }, select });
      return row ? toView(row) : null;
    },

    /** Revokes a token (idempotent: the first revocation time stays); null when unknown. */
    async revoke(id: string, now: Date): Promise<ApiTokenView | null> {
      await db.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
      const row = await db.apiToken.findUnique({ where: { id }, select });
      return row ? toView(row) : null;
    },
  };
}

export type ApiTokenRepository = ReturnType<typeof createApiTokenRepository>;
