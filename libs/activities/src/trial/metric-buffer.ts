export interface MetricPointInput {
  epoch: number;
  step: number;
  name: string;
  value: number;
}

/**
 * Batches metric points so a chatty trainer costs one DB write per batch, not per value.
 * Flushes are serialised; a failed flush keeps its points for the next try. With onWriteError,
 * add() reports a failed write there instead of throwing (the trainer keeps running through a
 * database outage); flush() always throws, so the caller decides how long to insist.
 */
export class MetricBuffer {
  private points: MetricPointInput[] = [];
  private lastFlush = Date.now();
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (points: MetricPointInput[]) => Promise<unknown>,
    private readonly maxPoints = 200,
    private readonly maxAgeMs = 1000,
    private readonly onWriteError?: (err: unknown) => void,
  ) {}

  get pending(): number {
    return this.points.length;
  }

  async add(points: MetricPointInput[]): Promise<void> {
    this.points.push(...points);
    if (this.points.length >= this.maxPoints || Date.now() - this.lastFlush >= this.maxAgeMs) {
      try {
        await this.flush();
      } catch (err) {
        if (!this.onWriteError) throw err;
        // Wait a full interval before the next try rather than retrying on every point.
        this.lastFlush = Date.now();
        this.onWriteError(err);
      }
    }
  }

  flush(): Promise<void> {
    const run = async () => {
      if (this.points.length === 0) return;
      const batch = this.points;
      this.points = [];
      try {
        await this.write(batch);
        this.lastFlush = Date.now();
      } catch (err) {
        this.points = batch.concat(this.points);
        throw err;
      }
    };
    // Chain on success *and* failure: a rejected chain would skip every later write.
    const next = this.flushing.then(run, run);
    this.flushing = next.catch(() => {});
    return next;
  }
}
