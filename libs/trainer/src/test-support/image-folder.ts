import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadDigit } from '../data/mnist';

const SIDE = 28;

/** The `i`-th MNIST example of `digit` as 8-bit grey pixels (28×28). */
export function digitPixels(digit: number, i: number): Uint8Array {
  const all = loadDigit(digit);
  const size = SIDE * SIDE;
  return all.slice(i * size, (i + 1) * size);
}

/**
 * Writes `dir/<class>/<i>.png|jpg` (alternating) from MNIST digits: `classes` maps a class folder
 * name to [digit, count]. Returns the written paths.
 */
export async function writeDigitFolder(
  dir: string,
  classes: Record<string, [digit: number, count: number]>,
  offset = 0,
): Promise<string[]> {
  const written: string[] = [];
  for (const [name, [digit, count]] of Object.entries(classes)) {
    mkdirSync(join(dir, name), { recursive: true });
    for (let i = 0; i < count; i++) {
      const img = sharp(Buffer.from(digitPixels(digit, offset + i)), {
        raw: { width: SIDE, height: SIDE, channels: 1 },
      });
      const path = join(dir, name, `${String(i).padStart(3, '0')}.${i % 2 ? 'jpg' : 'png'}`);
      await (i % 2 ? img.jpeg() : img.png()).toFile(path);
      written.push(path);
    }
  }
  return written;
}

/** A file with an image extension that is not an image. */
export function writeCorrupt(path: string): void {
  writeFileSync(path, 'this is not a png');
}
