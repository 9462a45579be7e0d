import { authenticate, bearerToken, sessionUserOf, type TRPCContext } from '@retune/api';
import {
  clearedSessionCookie,
  isHttps,
  readCookie,
  SESSION_COOKIE,
  sessionCookie,
} from './session-cookie';

/** The process-wide services every request context carries (DB, Temporal gateways). */
export type Services = Pick<TRPCContext, 'repos' | 'temporal' | 'schedules' | 'policy'>;

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
    user: auth && sessionUserOf(auth),
    clientAddress: clientAddressOf(req),
    sessionToken: auth?.via.kind === 'session' ? auth.via.token : null,
    cookies: {
      set: (token, expiresAt) =>
        resHeaders.append('set-cookie', sessionCookie(token, expiresAt, secure)),
      clear: () => resHeaders.append('set-cookie', clearedSessionCookie(secure)),
    },
  };
}

/**
 * The client's address for sign-in throttling. Behind a reverse proxy it is the first
 * X-Forwarded-For hop (the proxy must set it); directly, Next does not expose the socket, so
 * X-Real-IP or nothing (then only the per-account throttle applies).
 */
function clientAddressOf(req: Request): string | null {
  const forwarded = req.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || req.headers.get('x-real-ip') || null;
}
