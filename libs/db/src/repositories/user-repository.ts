import { isRole, ROLES, type Role } from '@retune/core';
import type { Db } from '../client';

export const USER_ROLES = ROLES;
export type UserRole = Role;

/** A stored role; anything unknown reads as the least privilege. */
export const toUserRole = (role: string): UserRole => (isRole(role) ? role : 'viewer');

/** A user as the rest of the system sees one: never the password hash. */
export interface UserView {
  id: string;
  email: string;
  name: string | null;
  role: UserRole;
  createdAt: string;
}

export const userSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  createdAt: true,
} as const;

export function toUserView(row: {
  id: string;
  email: string;
  name: string | null;
  role: string;
  createdAt: Date;
}): UserView {
  return {
    ...row,
    role: toUserRole(row.role),
    createdAt: row.createdAt.toISOString(),
  };
}

export class UserExistsError extends Error {
  constructor(readonly email: string) {
    super(`a user with the email ${email} already exists`);
    this.name = 'UserExistsError';
  }
}

export function createUserRepository(db: Db) {
  return {
    async create(input: {
      id: string;
      email: string;
      name?: string | null;
      passwordHash: string;
      role: UserRole;
    }): Promise<UserView> {
      try {
        return toUserView(await db.user.create({ data: input, select: userSelect }));
      } catch (err) {
        // P2002: unique constraint (email) — a concurrent create or an existing user.
        if ((err as { code?: string }).code === 'P2002') throw new UserExistsError(input.email);
        throw err;
      }
    },

    async get(id: string): Promise<UserView | null> {
      const row = await db.user.findUnique({ where: { id }, select: userSelect });
      return row ? toUserView(row) : null;
    },

    async findByEmail(email: string): Promise<UserView | null> {
      const row = await db.user.findUnique({ where: { email }, select: userSelect });
      return row ? toUserView(row) : null;
    },

    /** The stored KDF output for sign-in; the only read that returns it. */
    async findCredentials(email: string): Promise<{ user: UserView; passwordHash: string } | null> {
      const row = await db.user.findUnique({
        where: { email },
        select: { ...userSelect, passwordHash: true },
      });
      if (!row) return null;
      const { passwordHash, ...user } = row;
      return { user: toUserView(user), passwordHash };
    },

    async setPasswordHash(id: string, passwordHash: string): Promise<void> {
      await db.user.update({ where: { id }, data: { passwordHash }, select: { id: true } });
    },

    async setRole(id: string, role: UserRole): Promise<UserView | null> {
      const { count } = await db.user.updateMany({ where: { id }, data: { role } });
      return count ? this.get(id) : null;
    },

    async list(): Promise<UserView[]> {
      const rows = await db.user.findMany({ orderBy: { createdAt: 'asc' }, select: userSelect });
      return rows.map(toUserView);
    },

    async count(): Promise<number> {
      return db.user.count();
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
