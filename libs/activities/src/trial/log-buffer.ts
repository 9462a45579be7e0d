/** One line of trainer output kept for the trial page. */
export interface TrialLogEntry {
  stream: string;
  line: string;
}

const MAX_LINE = 2_000;

/**
 * Batches a trainer's log lines into the database. Logs are for people, not for the sweep: a
 * failed write is reported and dropped, never retried or allowed to fail the trial, and a chatty
 * trainer is capped at `maxLines` per attempt.
 */
export class TrialLogBuffer {
  private pending: TrialLogEntry[] = [];
  private kept = 0;
  private dropped = 0;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (lines: TrialLogEntry[]) => Promise<void>,
    private readonly onError: (err: unknown) => void,
    private readonly maxLines = 5_000,
    private readonly batch = 100,
  ) {}

  add(stream: string, line: string): void {
    if (this.kept >= this.maxLines) {
      this.dropped++;
      return;
    }
    this.kept++;
    const text = line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line;
    this.pending.push({ stream, line: text });
    if (this.pending.length >= this.batch) void this.drain();
  }

  /** Writes what is pending (and a note of how many lines were dropped); never throws. */
  async flush(): Promise<void> {
    if (this.dropped > 0) {
      this.pending.push({
        stream: 'retune',
        line: `${this.dropped} more log lines were not kept (limit ${this.maxLines} per attempt)`,
      });
      this.dropped = 0;
    }
    await this.drain();
  }

  private drain(): Promise<void> {
    const lines = this.pending;
    this.pending = [];
    if (lines.length > 0) {
      this.writing = this.writing.then(() => this.write(lines).catch(this.onError));
    }
    return this.writing;
  }
}
