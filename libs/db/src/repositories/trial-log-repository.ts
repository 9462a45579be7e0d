import type { Db } from '../client';

export interface TrialLogLine {
  id: number;
  stream: string;
  line: string;
  createdAt: string;
}

/** Lines a trainer printed that were not metrics (its `log` messages, stderr), per trial. */
export function createTrialLogRepository(db: Db) {
  return {
    async add(trialId: string, lines: { stream: string; line: string }[]): Promise<void> {
      if (lines.length === 0) return;
      await db.trialLog.createMany({
        data: lines.map((l) => ({ trialId, stream: l.stream, line: l.line })),
      });
    },

    /** The last `limit` lines of a trial, oldest first (served by the (trialId, id) index). */
    async forTrial(trialId: string, limit: number): Promise<TrialLogLine[]> {
      const rows = await db.trialLog.findMany({
        where: { trialId },
        orderBy: { id: 'desc' },
        take: limit,
        select: { id: true, stream: true, line: true, createdAt: true },
      });
      return rows.reverse().map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
    },
  };
}

export type TrialLogRepository = ReturnType<typeof createTrialLogRepository>;
