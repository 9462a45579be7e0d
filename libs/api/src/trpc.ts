import { initTRPC, TRPCError } from '@trpc/server';
import type { Repositories } from '@retune/db';
import { domainErrorKind, type DomainErrorKind, type InvalidInputError } from './domain/errors';
import type { SweepGateway } from './temporal/sweep-gateway';

export interface SessionUser {
  id: string;
}

export interface TRPCContext {
  repos: Repositories;
  temporal: SweepGateway;
  /** Null for anonymous requests; sign-in arrives with the auth issue. */
  user: SessionUser | null;
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
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in to do this' });
  return next({ ctx: { ...ctx, user: ctx.user } });
});
