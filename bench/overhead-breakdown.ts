/**
 * Where a bench:overhead sweep's time per trial went, from timestamps the stack records anyway:
 * the workflow history's events (every run of a continued-as-new sweep) and the trial rows'
 * createdAt / startedAt. No hot path is instrumented. Prints a table; not a test.
 */
import type { Client } from '@temporalio/client';
import type { Db } from '@retune/db';
import { runTrialRef, trialPhases, type RunTrialSpan } from './overhead-trainer-split';

type Event = {
  eventId?: { toString(): string } | null;
  eventTime?: { seconds?: { toString(): string } | number | null; nanos?: number | null } | null;
  eventType?: number | null;
  activityTaskScheduledEventAttributes?: {
    activityType?: { name?: string | null } | null;
    input?: { payloads?: { data?: Uint8Array | null }[] | null } | null;
  } | null;
  activityTaskStartedEventAttributes?: { scheduledEventId?: unknown } | null;
  activityTaskCompletedEventAttributes?: { scheduledEventId?: unknown } | null;
  workflowExecutionStartedEventAttributes?: { continuedExecutionRunId?: string | null } | null;
};

// temporal.api.enums.v1.EventType values used here.
const WFT_SCHEDULED = 5;
const WFT_STARTED = 6;
const WFT_COMPLETED = 7;
const ACT_SCHEDULED = 10;
const ACT_STARTED = 11;
const ACT_COMPLETED = 12;

function ms(e: Event): number {
  const t = e.eventTime;
  return Number(t?.seconds?.toString() ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
}

/** The events of every run of the workflow, oldest run first. */
async function allRuns(client: Client, workflowId: string): Promise<Event[][]> {
  const runs: Event[][] = [];
  let runId: string | undefined;
  for (;;) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = (history.events ?? []) as Event[];
    runs.unshift(events);
    const prev = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    if (!prev) return runs;
    runId = prev;
  }
}

interface Span {
  count: number;
  queue: number;
  run: number;
}

/** Mean queue (scheduled → started) and run (started → completed) time per activity type. */
function spans(runs: Event[][], runTrials: RunTrialSpan[] = []): Map<string, Span> {
  const out = new Map<string, Span>();
  const add = (name: string, queue: number, run: number) => {
    const s = out.get(name) ?? { count: 0, queue: 0, run: 0 };
    s.count++;
    s.queue += queue;
    s.run += run;
    out.set(name, s);
  };
  for (const events of runs) {
    const byId = new Map(events.map((e) => [String(e.eventId), e]));
    let wftScheduled = 0;
    let wftStarted = 0;
    for (const e of events) {
      if (e.eventType === WFT_SCHEDULED) wftScheduled = ms(e);
      if (e.eventType === WFT_STARTED) wftStarted = ms(e);
      if (e.eventType === WFT_COMPLETED) {
        add('workflow task', wftStarted - wftScheduled, ms(e) - wftStarted);
      }
      if (e.eventType !== ACT_COMPLETED) continue;
      const scheduledId = String(e.activityTaskCompletedEventAttributes?.scheduledEventId);
      const scheduled = byId.get(scheduledId);
      const started = events.find(
        (s) =>
          s.eventType === ACT_STARTED &&
          String(s.activityTaskStartedEventAttributes?.scheduledEventId) === scheduledId,
      );
      const name = scheduled?.activityTaskScheduledEventAttributes?.activityType?.name ?? '?';
      if (scheduled && started) add(name, ms(started) - ms(scheduled), ms(e) - ms(started));
      const data = scheduled?.activityTaskScheduledEventAttributes?.input?.payloads?.[0]?.data;
      const ref = name === 'runTrial' ? runTrialRef(data) : undefined;
      if (ref && started) runTrials.push({ ...ref, started: ms(started), completed: ms(e) });
    }
  }
  return out;
}

/**
 * Mean time from a runTrial's completion to the scheduling of the next runTrial after it (the
 * workflow task that hands the freed slot its next trial), over completions that have one.
 */
function relaunchMs(runs: Event[][]): number {
  let total = 0;
  let count = 0;
  for (const events of runs) {
    const names = new Map(
      events
        .filter((e) => e.eventType === ACT_SCHEDULED)
        .map((e) => [
          String(e.eventId),
          e.activityTaskScheduledEventAttributes?.activityType?.name,
        ]),
    );
    const completedAt: number[] = [];
    for (const e of events) {
      const isRunTrial = (id: unknown) => names.get(String(id)) === 'runTrial';
      if (
        e.eventType === ACT_COMPLETED &&
        isRunTrial(e.activityTaskCompletedEventAttributes?.scheduledEventId)
      ) {
        completedAt.push(ms(e));
      }
      if (e.eventType === ACT_SCHEDULED && isRunTrial(e.eventId) && completedAt.length > 0) {
        // One new runTrial per freed slot: the oldest completion waiting is the one it serves.
        total += ms(e) - completedAt.shift()!;
        count++;
      }
    }
  }
  return count ? total / count : 0;
}

export interface BreakdownInput {
  client: Client;
  db: Db;
  workflowId: string;
  sweepId: string;
  trials: number;
  slots: number;
  seconds: number;
  makespan: number;
  /** runTrial's RETUNE_TRIAL_TIMING and the reused no-op trainer's NOOP_TIMING_FILE. */
  timing?: { trial: string; trainer: string };
}

/** Prints the per-trial cost table of one finished bench sweep. */
export async function printBreakdown(b: BreakdownInput): Promise<void> {
  const runs = await allRuns(b.client, b.workflowId);
  const runTrials: RunTrialSpan[] = [];
  const stats = spans(runs, runTrials);
  const rows = await b.db.trial.findMany({
    where: { sweepId: b.sweepId },
    select: { createdAt: true, startedAt: true },
  });
  const perTrial = (total: number) => (total / b.trials).toFixed(1);
  const table: string[][] = [];
  for (const [name, s] of [...stats.entries()].sort()) {
    table.push([
      name,
      (s.count / b.trials).toFixed(2),
      (s.queue / s.count).toFixed(1),
      (s.run / s.count).toFixed(1),
      perTrial(s.queue + s.run),
    ]);
  }
  const header = ['step', 'per trial', 'queue ms', 'run ms', 'ms/trial'];
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\nBreakdown, ${b.trials} trials (${runs.length} workflow run(s)):`);
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of table) console.log(fmt(r));

  // Slot time not spent in the trainer's own sleep, per trial, and the part of it visible inside
  // the runTrial activity; the rest is the slot waiting on the workflow (tasks and activities).
  const slotMs = (b.makespan * 1000 * b.slots) / b.trials - b.seconds * 1000;
  const trial = stats.get('runTrial');
  const phases = b.timing ? trialPhases(runTrials, b.timing) : null;
  // Pipelined slots: a runTrial waits behind its predecessor, holding no slot meanwhile.
  const waiting = phases?.rows.find((r) => r.phase.startsWith('waiting for the predecessor'));
  const waitMs = waiting && Number.isFinite(waiting.mean) ? waiting.mean : 0;
  const inActivity = trial ? trial.run / trial.count - b.seconds * 1000 - waitMs : 0;
  const dispatch = trial ? trial.queue / trial.count : 0;
  const pending = rows.filter((r) => r.startedAt);
  const rowWait =
    pending.reduce((s, r) => s + (r.startedAt!.getTime() - r.createdAt.getTime()), 0) /
    Math.max(1, pending.length);
  console.log(
    [
      `slot time beyond the trainer's ${b.seconds} s: ${slotMs.toFixed(0)} ms/trial`,
      `  inside runTrial on its slot (DB writes, input, process start/exit, flush): ${inActivity.toFixed(0)} ms`,
      ...(waitMs > 0
        ? [`  (runTrial waiting behind its predecessor, no slot held: ${waitMs.toFixed(0)} ms)`]
        : []),
      `  runTrial scheduled → started on the GPU worker: ${dispatch.toFixed(0)} ms${waitMs > 0 ? ' (while its predecessor runs)' : ''}`,
      `  slot waiting on the workflow (task round trips, registration): ${(slotMs - inActivity - (waitMs > 0 ? 0 : dispatch)).toFixed(0)} ms`,
      `    of which runTrial completed → next runTrial scheduled: ${relaunchMs(runs).toFixed(0)} ms`,
      `trial row created → marked running (registration → trainer start): ${rowWait.toFixed(0)} ms`,
    ].join('\n'),
  );
  if (phases) {
    console.log(`inside runTrial, by phase (${phases.trials} trials; ms mean / median):`);
    for (const r of phases.rows) {
      console.log(
        `  ${r.phase.padEnd(44)} ${r.mean.toFixed(1).padStart(6)} ${r.median.toFixed(1).padStart(6)}`,
      );
    }
  }
}
