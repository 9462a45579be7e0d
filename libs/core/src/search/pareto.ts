/**
 * Pareto dominance over objective vectors. NaN counts as worse than every number (and equal to
 * another NaN), so a trial with a NaN objective can only be on the front by being non-dominated
 * in the other objectives; equal vectors never dominate each other (both stay on the front).
 */
import type { MetricGoal } from '../spec/sweep-spec';

/** -1 when `a` is better than `b` for `goal`, 1 when worse, 0 when equal (NaN is worst). */
function compareObjective(a: number, b: number, goal: MetricGoal): number {
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  if (an || bn) return an && bn ? 0 : an ? 1 : -1;
  if (a === b) return 0;
  return (goal === 'maximize' ? a > b : a < b) ? -1 : 1;
}

/** True when `a` is at least as good as `b` in every objective and better in one. */
export function dominates(
  a: readonly number[],
  b: readonly number[],
  directions: readonly MetricGoal[],
): boolean {
  let better = false;
  for (let i = 0; i < directions.length; i++) {
    const c = compareObjective(a[i] ?? NaN, b[i] ?? NaN, directions[i]!);
    if (c > 0) return false;
    if (c < 0) better = true;
  }
  return better;
}

/**
 * Non-dominated sorting (NSGA-II's fast sort): the rank of each vector, 0 for the Pareto front,
 * 1 for the front once rank 0 is removed, and so on.
 */
export function nonDominatedRanks(
  points: readonly (readonly number[])[],
  directions: readonly MetricGoal[],
): number[] {
  const n = points.length;
  const dominatedBy = new Array<number>(n).fill(0);
  const dominating: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (dominates(points[i]!, points[j]!, directions)) {
        dominating[i]!.push(j);
        dominatedBy[j]!++;
      } else if (dominates(points[j]!, points[i]!, directions)) {
        dominating[j]!.push(i);
        dominatedBy[i]!++;
      }
    }
  }
  const ranks = new Array<number>(n).fill(-1);
  let front = dominatedBy.flatMap((d, i) => (d === 0 ? [i] : []));
  let rank = 0;
  while (front.length > 0) {
    const next: number[] = [];
    for (const i of front) {
      ranks[i] = rank;
      for (const j of dominating[i]!) if (--dominatedBy[j]! === 0) next.push(j);
    }
    front = next.sort((a, b) => a - b);
    rank++;
  }
  return ranks;
}

/**
 * NSGA-II crowding distance of each point within one front (boundary points get Infinity);
 * larger means more isolated. NaN objectives are treated as the worst end of their axis.
 */
export function crowdingDistances(
  points: readonly (readonly number[])[],
  directions: readonly MetricGoal[],
): number[] {
  const n = points.length;
  const dist = new Array<number>(n).fill(0);
  if (n <= 2) return dist.fill(Infinity);
  for (let m = 0; m < directions.length; m++) {
    const goal = directions[m]!;
    const order = points
      .map((_, i) => i)
      .sort((a, b) => compareObjective(points[a]![m]!, points[b]![m]!, goal) || a - b);
    const finite = order.map((i) => points[i]![m]!).filter((v) => Number.isFinite(v));
    const span = finite.length > 1 ? Math.max(...finite) - Math.min(...finite) : 0;
    dist[order[0]!] = Infinity;
    dist[order[n - 1]!] = Infinity;
    if (span === 0) continue;
    for (let k = 1; k < n - 1; k++) {
      const lo = points[order[k - 1]!]![m]!;
      const hi = points[order[k + 1]!]![m]!;
      const gap = Math.abs(hi - lo);
      dist[order[k]!]! += Number.isFinite(gap) ? gap / span : Infinity;
    }
  }
  return dist;
}

/**
 * The non-dominated trials among those with a full vector of values (one per direction) and, when
 * they carry a state, state 'completed'. Keeps the input order.
 */
export function paretoFront<
  T extends { readonly values: readonly number[] | null; readonly state?: string },
>(trials: readonly T[], directions: readonly MetricGoal[]): T[] {
  const eligible = trials.filter(
    (t) =>
      (t.state === undefined || t.state === 'completed') &&
      t.values !== null &&
      t.values.length === directions.length,
  );
  const ranks = nonDominatedRanks(
    eligible.map((t) => t.values!),
    directions,
  );
  return eligible.filter((_, i) => ranks[i] === 0);
}
