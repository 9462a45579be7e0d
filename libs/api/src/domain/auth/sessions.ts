import type { UserView } from '@retune/db';
import { UnauthorizedError } from '../errors';
import { verifyPassword, hashPassword } from './password';
import { API_TOKEN_PREFIX, newId, newSessionToken, sha256 } from './secrets';
import type { SignInThrottle } from './sign-in-throttle';
import { checkPassword, normalizeEmail, type AuthDeps } from './users';

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

// Verified against when the email is unknown, so a miss costs as much as a wrong password
// and response times do not tell which emails have accounts.
let dummyHash: Promise<string> | undefined;

/**
 * Checks the password and opens a session. With a throttle, a locked account or address is
 * refused before the password is even checked ("try again in N s"), and each failure counts.
 */
export async function signIn(
  deps: AuthDeps,
  input: { email: string; password: string },
  now = new Date(),
  throttle?: { limiter: SignInThrottle; address: string | null | undefined },
): Promise<{ user: UserView; token: string; expiresAt: Date }> {
  const email = normalizeEmail(input.email);
  await throttle?.limiter.check(email, throttle.address, now.getTime());
  const found = await deps.repos.users.findCredentials(email);
  const stored = found?.passwordHash ?? (await (dummyHash ??= hashPassword('not a password')));
  const ok = await verifyPassword(input.password, stored);
  if (!found || !ok) {
    await throttle?.limiter.failed(email, throttle.address, now.getTime());
    throw new UnauthorizedError('wrong email or password');
  }
  await throttle?.limiter.succeeded(email, now.getTime());
  // Sign-ins are rare; sweeping expired sessions here keeps the table small without a job.
  await deps.repos.sessions.deleteExpired(now);
  const token = newSessionToken();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await deps.repos.sessions.create({
    id: newId('ses'),
    tokenHash: sha256(token),
    userId: found.user.id,
    expiresAt,
  });
  return { user: found.user, token, expiresAt };
}

export async function signOut(deps: AuthDeps, sessionToken: string): Promise<void> {
  await deps.repos.sessions.deleteByTokenHash(sha256(sessionToken));
}

/**
 * Changes a user's password after checking the current one, and ends every session of that
 * user (a stolen session dies with the old password). Returns how many sessions ended.
 */
export async function changePassword(
  deps: AuthDeps,
  userId: string,
  input: { currentPassword: string; newPassword: string },
): Promise<number> {
  const user = await deps.repos.users.get(userId);
  const found = user && (await deps.repos.users.findCredentials(user.email));
  if (!found || !(await verifyPassword(input.currentPassword, found.passwordHash))) {
    throw new UnauthorizedError('the current password is wrong');
  }
  return setPassword(deps, userId, input.newPassword);
}

/** Sets a password (checked for length) and signs the user out everywhere. */
export async function setPassword(
  deps: AuthDeps,
  userId: string,
  password: string,
): Promise<number> {
  checkPassword(password);
  await deps.repos.users.setPasswordHash(userId, await hashPassword(password));
  return deps.repos.sessions.deleteByUser(userId);
}

export interface Authenticated {
  user: UserView;
  /** How: the session cookie's token, or the API token's id (and whether it is read-only). */
  via:
    { kind: 'session'; token: string } | { kind: 'api-token'; tokenId: string; readOnly: boolean };
}

/** `Authorization: Bearer <token>` → the token, or null for any other header. */
export function bearerToken(authorization: string | null | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return m ? m[1]! : null;
}

/**
 * Who a request is, from its credentials: an API token (Authorization: Bearer) wins over a
 * session cookie. Unknown, expired or revoked credentials give null — never an error, so an
 * anonymous request and a stale one are treated alike.
 */
export async function authenticate(
  deps: AuthDeps,
  credentials: { sessionToken?: string | null; bearer?: string | null },
  now = new Date(),
): Promise<Authenticated | null> {
  const { bearer, sessionToken } = credentials;
  if (bearer) {
    if (!bearer.startsWith(API_TOKEN_PREFIX)) return null;
    const found = await deps.repos.apiTokens.findUser(sha256(bearer));
    if (!found) return null;
    await deps.repos.apiTokens.touch(found.tokenId, now);
    return {
      user: found.user,
      via: { kind: 'api-token', tokenId: found.tokenId, readOnly: found.scope === 'read' },
    };
  }
  if (sessionToken) {
    const found = await deps.repos.sessions.findUser(sha256(sessionToken), now);
    return found ? { user: found.user, via: { kind: 'session', token: sessionToken } } : null;
  }
  return null;
}

/** The tRPC context's user for an authenticated request: role, and the token if one was used. */
export function sessionUserOf(auth: Authenticated): {
  id: string;
  email: string;
  role: UserView['role'];
  tokenId?: string;
  readOnly?: boolean;
} {
  const { id, email, role } = auth.user;
  return auth.via.kind === 'api-token'
    ? { id, email, role, tokenId: auth.via.tokenId, readOnly: auth.via.readOnly }
    : { id, email, role };
}
