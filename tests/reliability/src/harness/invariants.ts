/**
 * What Temporal should give us after any fault, checked from the database and /proc:
 * every planned trial has exactly one final row, retried trials resumed from a checkpoint, and
 * no trainer process outlives the sweep.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '@retune/db';
import { sleep } from './stack';

export interface SweepCheck {
  sweepStatus: string | null;
  planned: number;
  /** Planned trial numbers with no completed row. */
  lost: number;
  /** Extra rows for one trial number, plus metric points stored twice for one epoch. */
  duplicated: number;
  /** Trials that ran more than one attempt. */
  retried: number;
  /** Retried trials whose later attempt was given a checkpoint to resume from. */
  resumed: number;
  orphans: string[];
  problems: string[];
}

/** PIDs (with command lines) of live processes whose command line mentions `needle`. */
export function processesMentioning(needle: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      // A zombie has an empty cmdline: it is dead, only not yet reaped.
      if (cmd.includes(needle)) found.push(`${pid} ${cmd.slice(0, 160)}`);
    } catch {
      /* exited while we looked */
    }
  }
  return found;
}

/** Waits up to graceMs for trainer processes under workDir/trials/<sweep> to go away. */
export async function orphansOf(workDir: string, sweepId: string, graceMs = 10_000) {
  const needle = join(workDir, 'trials', sweepId);
  const deadline = Date.now() + graceMs;
  let left = processesMentioning(needle);
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(250);
    left = processesMentioning(needle);
  }
  return left;
}

export async function checkSweep(db: Db, workDir: string, sweepId: string): Promise<SweepCheck> {
  const sweep = await db.sweep.findUnique({
    where: { id: sweepId },
    select: { status: true, plannedTrials: true },
  });
  const trials = await db.trial.findMany({
    where: { sweepId },
    select: { id: true, number: true, status: true, attempts: true, objective: true },
  });
  const problems: string[] = [];
  const planned = sweep?.plannedTrials ?? 0;
  const byNumber = new Map<number, number>();
  for (const t of trials) byNumber.set(t.number, (byNumber.get(t.number) ?? 0) + 1);
  let duplicated = 0;
  for (const n of byNumber.values()) duplicated += n - 1;

  const points = await db.metricPoint.findMany({
    where: { trial: { sweepId } },
    select: { trialId: true, name: true, epoch: true, step: true },
  });
  const keys = new Set<string>();
  for (const p of points) {
    const key = `${p.trialId}/${p.name}/${p.epoch}/${p.step}`;
    if (keys.has(key)) duplicated++;
    keys.add(key);
  }

  let lost = 0;
  for (let n = 0; n < planned; n++) {
    const row = trials.find((t) => t.number === n);
    if (!row || row.status !== 'completed' || row.objective === null) {
      lost++;
      problems.push(`trial ${n}: ${row ? `${row.status} (${row.attempts} attempts)` : 'no row'}`);
    }
  }

  let retried = 0;
  let resumed = 0;
  for (const t of trials.filter((t) => t.attempts > 1)) {
    retried++;
    // The activity writes one input file per attempt; a resumed one names its checkpoint.
    const dir = join(workDir, 'trials', t.id);
    const later = existsSync(dir)
      ? readdirSync(dir).filter((f) => /^input-attempt-([2-9]|\d\d+)\.json$/.test(f))
      : [];
    const resumedOnce = later.some((f) => {
      const input = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { resumeFrom?: string };
      return typeof input.resumeFrom === 'string' && existsSync(input.resumeFrom);
    });
    if (resumedOnce) resumed++;
  }

  const orphans = await orphansOf(workDir, sweepId);
  if (sweep?.status !== 'completed') problems.push(`sweep status ${sweep?.status ?? 'missing'}`);
  if (duplicated > 0) problems.push(`${duplicated} duplicated rows/points`);
  if (orphans.length > 0) problems.push(`orphaned trainers: ${orphans.join('; ')}`);
  return {
    sweepStatus: sweep?.status ?? null,
    planned,
    lost,
    duplicated,
    retried,
    resumed,
    orphans,
    problems,
  };
}
