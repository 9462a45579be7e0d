import { initTRPC, TRPCError } from '@trpc/server';
import { roleAllows, type Role } from '@retune/core';
import type { Repositories } from '@retune/db';
import { auditFieldsOf } from './domain/audit/audit-input';
import { recordAudit, type AuditActor } from './domain/audit/record-audit';
import { domainErrorKind, type DomainErrorKind, type InvalidInputError } from './domain/errors';
import type { AccessPolicy } from './domain/access/access-policy';
import type { SignInThrottle } from './domain/auth/sign-in-throttle';
import type { SweepGateway } from './temporal/sweep-gateway';
import type { ScheduleGateway } from './temporal/schedule-gateway';

export interface SessionUser {
  id: string;
  email: string;
  role: Role;
  /** Set when the request came with an API token (audit rows name it). */
  tokenId?: string;
  /** A read-only token: queries only, whatever the owner's role. */
  readOnly?: boolean;
}

/** How a procedure is guarded; every procedure of the app router declares it (security test). */
export interface ProcedureMeta {
  access?: 'public' | Role;
  /** Record each call, and each refused attempt, in the audit log. */
  audit?: boolean;
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
  /** Data roots and URL rules; absent: the defaults for this process (accessPolicyFromEnv). */
  policy?: AccessPolicy;
  /** Sign-in throttling; absent: one shared by this process. */
  throttle?: SignInThrottle;
  /** The client's address, for per-address sign-in throttling. */
  clientAddress?: string | null;
}

export function createTRPCContext(ctx: TRPCContext): TRPCContext {
  return ctx;
}

const t = initTRPC
  .context<TRPCContext>()
  .meta<ProcedureMeta>()
  .create({
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
  forbidden: 'FORBIDDEN',
  throttled: 'TOO_MANY_REQUESTS',
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
/** Sign-in only: every other procedure names the least role that may call it. */
export const publicProcedure = t.procedure.use(mapDomainErrors).meta({ access: 'public' });

const actorOf = (user: SessionUser): AuditActor => ({
  id: user.id,
  email: user.email,
  via: user.tokenId ? `api-token:${user.tokenId}` : 'session',
});

/** Why `user` may not make this call, or null. */
function refusalFor(user: SessionUser, needed: Role, type: string): string | null {
  if (user.readOnly && type !== 'query') {
    return 'this API token is read-only: use a full token (`retune token create` without --read-only) to change anything';
  }
  if (!roleAllows(user.role, needed)) {
    return `this needs the ${needed} role and ${user.email} is a ${user.role}: an admin can change it (\`retune user role ${user.email} ${needed}\`)`;
  }
  return null;
}

/**
 * The role check of every non-public procedure, before input parsing (anonymous or refused
 * calls learn nothing about inputs). Audited procedures record the call and its outcome,
 * refusals included.
 */
function requireRole(needed: Role) {
  return publicProcedure
    .meta({ access: needed })
    .use(async ({ ctx, meta, path, type, getRawInput, next }) => {
      const user = ctx.user;
      if (!user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in to do this' });
      const audit = meta?.audit
        ? async (outcome: 'ok' | 'refused' | 'failed', note?: string, resultId?: string) => {
            const fields = auditFieldsOf(path, await getRawInput().catch(() => undefined));
            await recordAudit(ctx.repos, actorOf(user), {
              action: fields.action,
              target: resultId ?? fields.target ?? null,
              outcome,
              detail: [fields.detail, note].filter(Boolean).join(' — ') || null,
            });
          }
        : null;
      const refusal = refusalFor(user, needed, type);
      if (refusal) {
        await audit?.('refused', refusal);
        throw new TRPCError({ code: 'FORBIDDEN', message: refusal });
      }
      const result = await next({ ctx: { ...ctx, user } });
      if (audit) {
        if (result.ok) {
          const id = (result.data as { id?: unknown } | null)?.id;
          await audit('ok', undefined, typeof id === 'string' ? id : undefined);
        } else {
          const cause = result.error.cause ?? result.error;
          const refused = domainErrorKind(cause) === 'forbidden';
          await audit(refused ? 'refused' : 'failed', cause.message);
        }
      }
      return result;
    });
}

/** Reads: any signed-in user, read-only tokens included (mutations here need a full token). */
export const viewerProcedure = requireRole('viewer');
/** Launching and controlling sweeps, promoting models, writing schedules. */
export const memberProcedure = requireRole('member');
/** Users and roles, trainers, the audit log. */
export const adminProcedure = requireRole('admin');
