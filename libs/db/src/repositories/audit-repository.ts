import type { Db } from '../client';
import { iso } from './mappers';

export type AuditOutcome = 'ok' | 'refused' | 'failed';

export interface AuditEventInput {
  actorId: string | null;
  actorEmail: string | null;
  /** "session" | "api-token:<id>" | "local" */
  via: string;
  action: string;
  target?: string | null;
  outcome: AuditOutcome;
  detail?: string | null;
}

export interface AuditEventView extends Required<AuditEventInput> {
  id: number;
  at: string;
}

/** The audit log: append and read only — there is deliberately no update or delete here. */
export function createAuditRepository(db: Db) {
  return {
    async record(input: AuditEventInput): Promise<void> {
      await db.auditEvent.create({
        data: { ...input, target: input.target ?? null, detail: input.detail?.slice(0, 2000) },
        select: { id: true },
      });
    },

    /** Newest first; `before` pages on by id. */
    async list(opts: {
      limit: number;
      before?: number;
      action?: string;
    }): Promise<AuditEventView[]> {
      const rows = await db.auditEvent.findMany({
        where: {
          ...(opts.before !== undefined ? { id: { lt: opts.before } } : {}),
          ...(opts.action ? { action: opts.action } : {}),
        },
        orderBy: { id: 'desc' },
        take: opts.limit,
      });
      return rows.map((r) => ({
        ...r,
        at: iso(r.at)!,
        outcome: r.outcome as AuditOutcome,
      }));
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
