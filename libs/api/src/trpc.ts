import { initTRPC, TRPCError } from '@trpc/server';
import type { Repositories } from '@retune/db';
import { ConflictError, InvalidInputError, NotFoundError, UpstreamError } from './domain/errors';
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
        issues: cause instanceof InvalidInputError ? cause.issues : undefined,
      },
    };
  },
});

/** The edge: domain errors become HTTP-coded tRPC errors here and nowhere else. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const err = result.error.cause;
    const code =
      err instanceof InvalidInputError
        ? 'BAD_REQUEST'
        : err instanceof NotFoundError
          ? 'NOT_FOUND'
          : err instanceof ConflictError
            ? 'CONFLICT'
            : err instanceof UpstreamError
              ? 'SERVICE_UNAVAILABLE'
              : null;
    if (code) throw new TRPCError({ code, message: err!.message, cause: err });
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
