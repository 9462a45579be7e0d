/** Keeps the last `maxBytes` of a stream (the reason we show when a trainer dies). */
export class OutputTail {
  private chunks: string[] = [];
  private size = 0;

  constructor(private readonly maxBytes = 4096) {}

  push(chunk: string): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.maxBytes && this.chunks.length > 1) {
      this.size -= this.chunks.shift()!.length;
    }
  }

  text(): string {
    const all = this.chunks.join('');
    return all.length > this.maxBytes ? all.slice(all.length - this.maxBytes) : all;
  }
}
