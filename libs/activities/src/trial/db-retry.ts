import { RowNotFoundError } from '@retune/db';

export interface DbRetryOptions {
  /** Stop waiting (rethrowing the last error) once this aborts: the trial was cancelled. */
  signal: AbortSignal;
  /** Called before each wait, so Temporal keeps seeing a live worker during the outage. */
  onWait?: (err: unknown, attempt: number) => void;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Runs a database call until the database answers. A database outage is not the trial's fault:
 * without this, every trial running during a PostgreSQL restart failed (or burnt its retries,
 * which exist for dead workers). A missing row (RowNotFoundError) is an answer and is rethrown.
 */
export async function untilDbAnswers<T>(fn: () => Promise<T>, opts: DbRetryOptions): Promise<T> {
  let delay = opts.initialDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof RowNotFoundError || opts.signal.aborted) throw err;
      opts.onWait?.(err, attempt);
      await sleep(delay, opts.signal);
      if (opts.signal.aborted) throw err;
      delay = Math.min(delay * 2, opts.maxDelayMs ?? 5000);
    }
  }
}
