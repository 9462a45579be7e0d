/**
 * Length-prefixed Float32 frames over a socket: what bench/trainer-data-parallel.ts's replicas
 * and their parent exchange each step (a replica's gradients out, the averaged ones back).
 */
import type { Socket } from 'node:net';

export class FrameSocket {
  private chunks: Buffer[] = [];
  private have = 0;
  private ready: Float32Array[] = [];
  private waiting: ((f: Float32Array) => void)[] = [];

  constructor(private readonly sock: Socket) {
    sock.on('data', (c: Buffer) => {
      this.chunks.push(c);
      this.have += c.length;
      this.cut();
    });
  }

  send(values: Float32Array): void {
    const head = Buffer.alloc(4);
    head.writeUInt32LE(values.byteLength);
    this.sock.write(head);
    this.sock.write(Buffer.from(values.buffer, values.byteOffset, values.byteLength));
  }

  next(): Promise<Float32Array> {
    const f = this.ready.shift();
    return f ? Promise.resolve(f) : new Promise((resolve) => this.waiting.push(resolve));
  }

  end(): void {
    this.sock.end();
  }

  /** Takes every complete frame out of the received bytes (one concat per frame). */
  private cut(): void {
    for (;;) {
      if (this.have < 4) return;
      if (this.chunks[0]!.length < 4) this.chunks = [Buffer.concat(this.chunks)];
      const len = this.chunks[0]!.readUInt32LE(0);
      if (this.have < 4 + len) return;
      const all = Buffer.concat(this.chunks);
      // A copy: the Float32Array must start on a 4-byte boundary.
      const frame = new Float32Array(
        all.buffer.slice(all.byteOffset + 4, all.byteOffset + 4 + len),
      );
      const rest = all.subarray(4 + len);
      this.chunks = rest.length ? [rest] : [];
      this.have = rest.length;
      const w = this.waiting.shift();
      if (w) w(frame);
      else this.ready.push(frame);
    }
  }
}
