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

/**
 * Reusable trainers' processes (docs/trainer-reuse.md: `workDir/pool/<worker>/slot-<i>` is their
 * last argument) whose parent is no longer a Retune worker: their worker died and left them.
 */
export function pooledOrphans(workDir: string): string[] {
  return processesMentioning(join(workDir, 'pool')).filter((entry) => {
    try {
      const stat = readFileSync(`/proc/${entry.split(' ')[0]}/stat`, 'utf8');
      const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
      return !readFileSync(`/proc/${ppid}/cmdline`, 'utf8').includes('apps/worker/src/main.ts');
    } catch {
      return false; // exited while we looked
    }
  });
}

/**
 * Waits up to graceMs for trainer processes under workDir/trials/<sweep>, and pooled trainer
 * processes whose worker died, to go away.
 */
export async function orphansOf(workDir: string, sweepId: string, graceMs = 10_000) {
  const needle = join(workDir, 'trials', sweepId);
  const deadline = Date.now() + graceMs;
  const find = () => [...processesMentioning(needle), ...pooledOrphans(workDir)];
  let left = find();
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(250);
    left = find();
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
