import type { AuditEventView, AuditOutcome, Repositories } from '@retune/db';

/** Who an audit row names: a signed-in user (by session or token) or the local operator. */
export interface AuditActor {
  id: string | null;
  email: string | null;
  /** "session" | "api-token:<id>" | "local" */
  via: string;
}

export const LOCAL_OPERATOR: AuditActor = { id: null, email: null, via: 'local' };

export interface AuditEntry {
  action: string;
  target?: string | null;
  outcome: AuditOutcome;
  detail?: string | null;
}

/**
 * Appends an audit row. A failed write is logged, never thrown: the audit log must not turn a
 * done action into an error the caller would retry.
 */
export async function recordAudit(
  repos: Pick<Repositories, 'audit'>,
  actor: AuditActor,
  entry: AuditEntry,
): Promise<void> {
  try {
    await repos.audit.record({
      actorId: actor.id,
      actorEmail: actor.email,
      via: actor.via,
      action: entry.action,
      target: entry.target ?? null,
      outcome: entry.outcome,
      detail: entry.detail ?? null,
    });
  } catch (err) {
    console.error(`audit: could not record ${entry.action}: ${String(err)}`);
  }
}

export function listAudit(
  repos: Pick<Repositories, 'audit'>,
  opts: { limit: number; before?: number; action?: string },
): Promise<AuditEventView[]> {
  return repos.audit.list(opts);
}
