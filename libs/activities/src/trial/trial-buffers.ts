import type { Context } from '@temporalio/activity';
import type { TrainerProcessResult } from '../trainer-process/run-trainer-process';
import { untilDbAnswers, type DbRetryOptions } from './db-retry';
import { TrialLogBuffer } from './log-buffer';
import { MetricBuffer } from './metric-buffer';
import type { TrialActivityDeps } from './trial-activity-deps';

/** The trial's metric and log buffers: both keep the trainer going through a database outage. */
export function trialBuffers(
  deps: TrialActivityDeps,
  trialId: string,
  ctx: Pick<Context, 'log'>,
): { metrics: MetricBuffer; logs: TrialLogBuffer } {
  const metrics = new MetricBuffer(
    (points) => deps.repos.metrics.write(trialId, points),
    200,
    1000,
    // Points stay buffered until the database is back; the trainer keeps going.
    (err) => ctx.log.warn('metric write failed; will retry', { error: String(err) }),
  );
  const trialLogs = deps.repos.trialLogs;
  const logs = new TrialLogBuffer(
    (lines) => (trialLogs ? trialLogs.add(trialId, lines) : Promise.resolve()),
    (err) => ctx.log.warn('trainer log write failed; lines dropped', { error: String(err) }),
  );
  return { metrics, logs };
}

/** Flushes the trial's buffers once the trainer has stopped, the stderr tail with the logs. */
export async function flushBuffers(opts: {
  metrics: MetricBuffer;
  logs: TrialLogBuffer;
  run: TrainerProcessResult;
  dbRetry: DbRetryOptions;
}): Promise<void> {
  const { metrics, logs, run, dbRetry } = opts;
  await untilDbAnswers(() => metrics.flush(), dbRetry).catch((err: unknown) => {
    // Cancelled while the database was away: the cancellation is the outcome.
    if (!dbRetry.signal.aborted) throw err;
  });
  // The stderr the process left (its tail) goes with the logs: tracebacks live there.
  const stderrTail = 'stderrTail' in run ? run.stderrTail : '';
  for (const line of stderrTail.split('\n').filter((l) => l.trim() !== '')) {
    logs.add('stderr', line);
  }
  await logs.flush();
}
