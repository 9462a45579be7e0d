/**
 * Splits runTrial's time into phases, from the runTrial activity's history events, its own
 * debug marks (RETUNE_TRIAL_TIMING: "trialId start=ms slot=ms running=ms input=ms trainer=ms
 * result=ms flushed=ms end=ms") and the reused no-op trainer's (NOOP_TIMING_FILE: "trialId received
 * sent"). All are epoch ms of this machine's clock (the server's history included).
 */
import { existsSync, readFileSync } from 'node:fs';

export interface RunTrialSpan {
  trialId: string;
  started: number;
  completed: number;
  /** Pipelined slots: the trial it waited for. */
  after?: string;
}

function readMarks(file: string): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [id, ...rest] = line.split(' ');
    if (!id || rest.length === 0) continue;
    const marks: Record<string, number> = {};
    for (const kv of rest) {
      const [k, v] = kv.split('=');
      if (k && v) marks[k] = Number(v);
    }
    out.set(id, marks);
  }
  return out;
}

/** The noop trainer's lines ("trialId received sent") as marks. */
function readTrainer(file: string): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [id, received, sent] = line.split(' ');
    if (id && received && sent) out.set(id, { received: Number(received), sent: Number(sent) });
  }
  return out;
}

const PHASES: [string, string, string][] = [
  ['activity', 'start', 'activity started → runTrial running'],
  ['start', 'slot', 'waiting for the predecessor and a slot (pipelined slots)'],
  ['slot', 'input', 'input file written (prepared while waiting)'],
  ['slot', 'running', 'marked running (DB), not on the path to the trainer'],
  ['input', 'trainer', 'trainer resolved, buffers set up'],
  ['trainer', 'received', 'trial line → received by the trainer'],
  ['sent', 'result', 'result line → runTrial has it'],
  ['result', 'flushed', 'buffers flushed'],
  ['flushed', 'end', 'outcome built'],
  ['end', 'completed', 'runTrial returned → activity completed'],
];

/** Mean and median ms of each phase, over the trials all files and the history have. */
export function trialPhases(
  spans: RunTrialSpan[],
  files: { trial: string; trainer: string },
): { trials: number; rows: { phase: string; mean: number; median: number }[] } | null {
  const trial = readMarks(files.trial);
  const trainer = readTrainer(files.trainer);
  const all: Record<string, number>[] = [];
  for (const s of spans) {
    const a = trial.get(s.trialId);
    const b = trainer.get(s.trialId);
    if (a && b) all.push({ activity: s.started, completed: s.completed, ...a, ...b });
  }
  if (all.length === 0) return null;
  // Pipelined slots: the predecessor's trainer returned its result (its attempt leaves the slot
  // then) → this one gave its trainer the trial.
  const handOver = spans.flatMap((s) => {
    const end = s.after ? trial.get(s.after)?.result : undefined;
    const started = trial.get(s.trialId)?.trainer;
    return end !== undefined && started !== undefined ? [{ handOver: started - end }] : [];
  });
  const rows = PHASES.map(([from, to, phase]) => {
    const d = all.map((m) => (m[to] ?? NaN) - (m[from] ?? NaN)).filter(Number.isFinite);
    const sorted = [...d].sort((x, y) => x - y);
    return {
      phase,
      mean: d.reduce((x, y) => x + y, 0) / Math.max(1, d.length),
      median: sorted[Math.floor(sorted.length / 2)] ?? NaN,
    };
  });
  if (handOver.length > 0) {
    const d = handOver.map((h) => h.handOver).sort((x, y) => x - y);
    rows.push({
      phase: `slot hand-over: predecessor's result → trainer (${d.length})`,
      mean: d.reduce((x, y) => x + y, 0) / d.length,
      median: d[Math.floor(d.length / 2)]!,
    });
  }
  return { trials: all.length, rows };
}

/** The runTrial activity's trialId and (pipelined slots) the trial it waits for, from its
 * scheduled event's first JSON payload. */
export function runTrialRef(
  payloadData: Uint8Array | null | undefined,
): { trialId: string; after?: string } | undefined {
  if (!payloadData) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(payloadData).toString('utf8')) as {
      trialId?: unknown;
      after?: unknown;
    };
    if (typeof parsed.trialId !== 'string') return undefined;
    return typeof parsed.after === 'string'
      ? { trialId: parsed.trialId, after: parsed.after }
      : { trialId: parsed.trialId };
  } catch {
    return undefined;
  }
}
