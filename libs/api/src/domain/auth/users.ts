import { MIN_PASSWORD_LENGTH, newPasswordProblem } from '@retune/core';
import { UserExistsError, type Repositories, type UserRole, type UserView } from '@retune/db';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors';
import { generatePassword, hashPassword } from './password';
import { newId } from './secrets';

export interface AuthDeps {
  repos: Repositories;
}

export { MIN_PASSWORD_LENGTH };
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** Emails are compared case-insensitively by storing them lower-cased. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export function checkPassword(password: string): void {
  const problem = newPasswordProblem(password);
  if (problem) {
    throw new InvalidInputError(problem, [
      { path: 'password', message: `at least ${MIN_PASSWORD_LENGTH} characters` },
    ]);
  }
}

export async function createUser(
  deps: AuthDeps,
  input: { email: string; password: string; role?: UserRole; name?: string | null },
): Promise<UserView> {
  const email = normalizeEmail(input.email);
  if (!EMAIL.test(email)) {
    throw new InvalidInputError(`email: "${input.email}" is not an email address`, [
      { path: 'email', message: 'not an email address' },
    ]);
  }
  checkPassword(input.password);
  try {
    return await deps.repos.users.create({
      id: newId('usr'),
      email,
      name: input.name ?? null,
      passwordHash: await hashPassword(input.password),
      role: input.role ?? 'member',
    });
  } catch (err) {
    if (err instanceof UserExistsError) throw new ConflictError(err.message);
    throw err;
  }
}

export const listUsers = (deps: AuthDeps) => deps.repos.users.list();

/**
 * First run: with no users at all, creates an admin so the dashboard is never open to anyone.
 * Uses the given password, or generates one and returns it (to be shown exactly once).
 */
export async function ensureAdmin(
  deps: AuthDeps,
  input: { email: string; password?: string },
): Promise<{ user: UserView; generatedPassword: string | null } | null> {
  if ((await deps.repos.users.count()) > 0) return null;
  const generatedPassword = input.password ? null : generatePassword();
  const user = await createUser(deps, {
    email: input.email,
    password: input.password ?? generatedPassword!,
    role: 'admin',
  });
  return { user, generatedPassword };
}

/** A user by id or email, or NotFoundError. */
export async function findUserByRef(
  deps: { repos: Pick<AuthDeps['repos'], 'users'> },
  ref: string,
): Promise<UserView> {
  const user =
    (await deps.repos.users.get(ref)) ?? (await deps.repos.users.findByEmail(normalizeEmail(ref)));
  if (!user) throw new NotFoundError(`user ${ref}`);
  return user;
}

/** Gives a user another role. The last admin cannot be demoted (nobody could undo it). */
export async function setUserRole(deps: AuthDeps, ref: string, role: UserRole): Promise<UserView> {
  const user = await findUserByRef(deps, ref);
  if (user.role === 'admin' && role !== 'admin') {
    const admins = (await deps.repos.users.list()).filter((u) => u.role === 'admin');
    if (admins.length <= 1) {
      throw new ConflictError(`${user.email} is the last admin: make another user admin first`);
    }
  }
  return (await deps.repos.users.setRole(user.id, role))!;
}
