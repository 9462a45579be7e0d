import type { UserView } from '@retune/db';
import { UnauthorizedError } from '../errors';
import { verifyPassword, hashPassword } from './password';
import { API_TOKEN_PREFIX, newId, newSessionToken, sha256 } from './secrets';
import { normalizeEmail, type AuthDeps } from './users';

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

// Verified against when the email is unknown, so a miss costs as much as a wrong password
// and response times do not tell which emails have accounts.
let dummyHash: Promise<string> | undefined;

export async function signIn(
  deps: AuthDeps,
  input: { email: string; password: string },
  now = new Date(),
): Promise<{ user: UserView; token: string; expiresAt: Date }> {
  const found = await deps.repos.users.findCredentials(normalizeEmail(input.email));
  const stored = found?.passwordHash ?? (await (dummyHash ??= hashPassword('not a password')));
  const ok = await verifyPassword(input.password, stored);
  if (!found || !ok) throw new UnauthorizedError('wrong email or password');
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

export interface Authenticated {
  user: UserView;
  /** How: the session cookie's token, or the API token's id. */
  via: { kind: 'session'; token: string } | { kind: 'api-token'; tokenId: string };
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
    return { user: found.user, via: { kind: 'api-token', tokenId: found.tokenId } };
  }
  if (sessionToken) {
    const found = await deps.repos.sessions.findUser(sha256(sessionToken), now);
    return found ? { user: found.user, via: { kind: 'session', token: sessionToken } } : null;
  }
  return null;
}
