import { initTRPC, TRPCError } from '@trpc/server';
import type { Repositories } from '@retune/db';
import { domainErrorKind, type DomainErrorKind, type InvalidInputError } from './domain/errors';
import type { SweepGateway } from './temporal/sweep-gateway';
import type { ScheduleGateway } from './temporal/schedule-gateway';

export interface SessionUser {
  id: string;
  email: string;
  role: 'admin' | 'user';
}

/**
 * The session cookie, as a port: the HTTP edge (the dashboard's route handler) implements it
 * with Set-Cookie headers, tests with a plain object. The tRPC layer never sees HTTP.
 */
export interface SessionCookiePort {
  set(token: string, expiresAt: Date): void;
  clear(): void;
}

export interface TRPCContext {
  repos: Repositories;
  temporal: SweepGateway;
  /** Temporal Schedules of retrain schedules; absent where none is wired (schedule calls then fail). */
  schedules?: ScheduleGateway;
  /** Who the request is (session cookie or API token, resolved by the edge); null if anonymous. */
  user: SessionUser | null;
  /** The session token the request carried, so sign-out can delete that session. */
  sessionToken?: string | null;
  /** Absent for in-process callers (server components, CLI): they cannot sign in or out. */
  cookies?: SessionCookiePort;
}

export function createTRPCContext(ctx: TRPCContext): TRPCContext {
  return ctx;
}

const t = initTRPC.context<TRPCContext>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        issues:
          domainErrorKind(cause) === 'invalid-input'
            ? (cause as InvalidInputError).issues
            : undefined,
      },
    };
  },
});

const HTTP_CODES: Record<DomainErrorKind, TRPCError['code']> = {
  'invalid-input': 'BAD_REQUEST',
  'not-found': 'NOT_FOUND',
  conflict: 'CONFLICT',
  upstream: 'SERVICE_UNAVAILABLE',
  unauthorized: 'UNAUTHORIZED',
};

/** The edge: domain errors become HTTP-coded tRPC errors here and nowhere else. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const err = result.error.cause;
    const kind = domainErrorKind(err);
    if (kind) throw new TRPCError({ code: HTTP_CODES[kind], message: err!.message, cause: err });
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapDomainErrors);
/** Every procedure but sign-in: runs before input parsing, so anonymous calls learn nothing. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in to do this' });
  return next({ ctx: { ...ctx, user: ctx.user } });
});
