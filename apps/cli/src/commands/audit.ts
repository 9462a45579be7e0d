import { listAudit } from '@retune/api';
import { renderTable } from '../render/table';
import type { CliContext } from './context';

/** `retune audit [--limit N] [--action A]`: newest first; the log is never edited. */
export async function auditListCommand(
  ctx: CliContext,
  opts: { limit?: string; action?: string },
): Promise<number> {
  const limit = Math.min(Math.max(Number(opts.limit ?? 50) || 50, 1), 1000);
  const events = await listAudit(ctx.repos, {
    limit,
    ...(opts.action ? { action: opts.action } : {}),
  });
  if (events.length === 0) {
    console.log('No audit events yet.');
    return 0;
  }
  console.log(
    renderTable(
      ['when', 'who', 'via', 'action', 'target', 'outcome', 'detail'],
      events.map((e) => [
        e.at.slice(0, 19).replace('T', ' '),
        e.actorEmail ?? 'local operator',
        e.via,
        e.action,
        e.target,
        e.outcome,
        e.detail ? e.detail.slice(0, 80) : null,
      ]),
    ),
  );
  return 0;
}
