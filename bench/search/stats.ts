import { mulberry32 } from '@retune/core';

/** One run of one method on one seed. */
export interface RunResult {
  /** Trial-epochs spent until a completed trial reached the goal (Infinity if it never did). */
  epochsToGoal: number;
  /** Task best minus the best completed final metric within the fixed budget. */
  regret: number;
}

export const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
export const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Percentile bootstrap 95 % interval of `stat` (2,000 resamples, fixed seed). */
export function bootstrap(
  xs: readonly number[],
  stat: (xs: readonly number[]) => number,
): [number, number] {
  const rng = mulberry32(12345);
  const stats = Array.from({ length: 2000 }, () =>
    stat(Array.from(xs, () => xs[Math.floor(rng() * xs.length)]!)),
  ).sort((a, b) => a - b);
  return [stats[49]!, stats[1949]!];
}

export interface Summary {
  seeds: number;
  reached: number;
  median: number;
  medianCi: [number, number];
  mean: number;
  meanCi: [number, number];
  regretMedian: number;
  regretMean: number;
  regretMeanCi: [number, number];
}

export function summarise(runs: readonly RunResult[]): Summary {
  const es = runs.map((r) => r.epochsToGoal);
  const rs = runs.map((r) => r.regret);
  return {
    seeds: runs.length,
    reached: es.filter(Number.isFinite).length,
    median: median(es),
    medianCi: bootstrap(es, median),
    mean: mean(es),
    meanCi: bootstrap(es, mean),
    regretMedian: median(rs),
    regretMean: mean(rs),
    regretMeanCi: bootstrap(rs, mean),
  };
}
