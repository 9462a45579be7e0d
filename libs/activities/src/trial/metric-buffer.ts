export interface MetricPointInput {
  epoch: number;
  step: number;
  name: string;
  value: number;
}

/**
 * Batches metric points so a chatty trainer costs one DB write per batch, not per value.
 * Flushes are serialised; a failed flush keeps its points for the next try.
 */
export class MetricBuffer {
  private points: MetricPointInput[] = [];
  private lastFlush = Date.now();
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (points: MetricPointInput[]) => Promise<unknown>,
    private readonly maxPoints = 200,
    private readonly maxAgeMs = 1000,
  ) {}

  async add(points: MetricPointInput[]): Promise<void> {
    this.points.push(...points);
    if (this.points.length >= this.maxPoints || Date.now() - this.lastFlush >= this.maxAgeMs) {
      await this.flush();
    }
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
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
    });
    return this.flushing;
  }
}
