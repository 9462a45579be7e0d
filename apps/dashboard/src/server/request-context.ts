import { authenticate, bearerToken, type TRPCContext } from '@retune/api';
import {
  clearedSessionCookie,
  isHttps,
  readCookie,
  SESSION_COOKIE,
  sessionCookie,
} from './session-cookie';

/** The process-wide services every request context carries (DB, Temporal gateways). */
export type Services = Pick<TRPCContext, 'repos' | 'temporal' | 'schedules'>;

/**
 * The context of one /api/trpc request, authenticated from the request alone: an
 * `Authorization: Bearer <API token>` header, else the session cookie. Sign-in and sign-out
 * set and clear the cookie through `resHeaders`.
 */
export async function createRequestContext(
  services: Services,
  req: Request,
  resHeaders: Headers,
): Promise<TRPCContext> {
  const secure = isHttps(req);
  const bearer = bearerToken(req.headers.get('authorization'));
  const sessionToken = readCookie(req.headers.get('cookie'), SESSION_COOKIE);
  const auth = await authenticate(services, { bearer, sessionToken });
  // A stale cookie (expired or signed out elsewhere) is dropped so the browser stops sending it.
  if (!auth && !bearer && sessionToken)
    resHeaders.append('set-cookie', clearedSessionCookie(secure));
  return {
    ...services,
    user: auth && { id: auth.user.id, email: auth.user.email, role: auth.user.role },
    sessionToken: auth?.via.kind === 'session' ? auth.via.token : null,
    cookies: {
      set: (token, expiresAt) =>
        resHeaders.append('set-cookie', sessionCookie(token, expiresAt, secure)),
      clear: () => resHeaders.append('set-cookie', clearedSessionCookie(secure)),
    },
  };
}
