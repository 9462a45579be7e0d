import { deriveSeed, mulberry32, type Rng } from '@retune/core';

export { deriveSeed, mulberry32, type Rng };

/** Named randomness streams; every random choice in a run derives from (trial seed, stream, …). */
export const Stream = {
  init: 1,
  shuffle: 2,
  augment: 3,
  dropout: 4,
  data: 5,
} as const;

/** Seed for (seed, stream, ...indices), e.g. seedFor(seed, Stream.augment, epoch, batch). */
export function seedFor(seed: number, stream: number, ...indices: number[]): number {
  let s = deriveSeed(seed >>> 0, stream);
  for (const i of indices) s = deriveSeed(s, i);
  return s;
}

export function rngFor(seed: number, stream: number, ...indices: number[]): Rng {
  return mulberry32(seedFor(seed, stream, ...indices));
}

/** Fisher–Yates shuffle (in place) driven by `rng`. */
export function shuffleInPlace<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
  return items;
}

/** Standard normal sample (Box–Muller). */
export function gaussian(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
