import { z } from 'zod';
import { listAudit } from '../../domain/audit/record-audit';
import { adminProcedure, router } from '../../trpc';

const auditEventSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorEmail: z.string().nullable(),
  via: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  outcome: z.enum(['ok', 'refused', 'failed']),
  detail: z.string().nullable(),
});

/** The audit log, read-only: no procedure writes, edits or deletes its rows. */
export const auditRouter = router({
  list: adminProcedure
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(1000).default(200),
          before: z.number().int().optional(),
          action: z.string().max(64).optional(),
        })
        .default({ limit: 200 }),
    )
    .output(z.array(auditEventSchema))
    .query(({ ctx, input }) => listAudit(ctx.repos, input)),
});
