import type { MetricGoal } from '../../spec/sweep-spec';
import { crowdingDistances, nonDominatedRanks } from '../pareto';
import { isInfeasible, lastIntermediate, type FrozenTrial } from '../types';

/** Optuna's default gamma: how many of n observations are "good". */
export function tpeGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

interface Observation {
  trial: FrozenTrial;
}

/**
 * Splits usable trials into good ("below") and bad ("above") halves, each in trial-number order.
 *
 * One objective (Optuna): completed trials rank by value; pruned trials rank after every
 * completed one, those that got further first, then by their last intermediate value (a pruned
 * trial with no report ranks last), and infeasible trials (outcome constraints) after them, least
 * off first. Failed and running trials are ignored, and so are completed trials whose value is
 * not a finite number.
 *
 * Several objectives (MOTPE-lite): only completed trials with a finite value per objective count.
 * They are ranked by non-dominated sorting; whole fronts go to "below" while they fit in gamma(n),
 * and the front that does not fit is cut by NSGA-II crowding distance (most isolated first, ties
 * by trial number). Optuna's MOTPE picks that cut and weights "below" by hypervolume contribution;
 * this keeps the uniform/ramp weights of the single-objective case instead.
 */
export function splitTrials(
  trials: readonly FrozenTrial[],
  directions: readonly MetricGoal[],
): { below: FrozenTrial[]; above: FrozenTrial[]; n: number } {
  const byNumber = (a: Observation, b: Observation) => a.trial.number - b.trial.number;
  if (directions.length <= 1) {
    const sign = directions[0] === 'maximize' ? -1 : 1;
    // [group, then, then]: completed by value, pruned by (furthest step, last value), pruned
    // without a report, infeasible ones by how far they are off (Optuna's constrained TPE).
    const scored: { trial: FrozenTrial; key: [number, number, number] }[] = [];
    for (const t of trials) {
      if (t.state === 'completed') {
        const v = t.values?.[0];
        if (v === undefined || !Number.isFinite(v)) continue;
        scored.push({ trial: t, key: isInfeasible(t) ? [2, t.violation!, 0] : [0, sign * v, 0] });
      } else if (t.state === 'pruned') {
        const last = lastIntermediate(t);
        if (!last) scored.push({ trial: t, key: [1, Infinity, 0] });
        else
          scored.push({
            trial: t,
            key: [1, -last.step, Number.isNaN(last.value) ? Infinity : sign * last.value],
          });
      }
    }
    const order = [...scored].sort(
      (a, b) =>
        a.key[0] - b.key[0] ||
        a.key[1] - b.key[1] ||
        a.key[2] - b.key[2] ||
        a.trial.number - b.trial.number,
    );
    const nBelow = tpeGamma(order.length);
    return {
      below: order
        .slice(0, nBelow)
        .sort(byNumber)
        .map((o) => o.trial),
      above: order
        .slice(nBelow)
        .sort(byNumber)
        .map((o) => o.trial),
      n: order.length,
    };
  }
  const finished = trials.filter(
    (t) =>
      t.state === 'completed' &&
      t.values !== null &&
      t.values.length === directions.length &&
      t.values.every((v) => Number.isFinite(v)),
  );
  const done = finished.filter((t) => !isInfeasible(t));
  const infeasible = finished
    .filter(isInfeasible)
    .sort((a, b) => a.violation! - b.violation! || a.number - b.number);
  const nBelow = tpeGamma(finished.length);
  const ranks = nonDominatedRanks(
    done.map((t) => t.values!),
    directions,
  );
  const chosen = new Set<FrozenTrial>();
  for (let rank = 0; chosen.size < nBelow; rank++) {
    const front = done.filter((_, i) => ranks[i] === rank);
    if (front.length === 0) break;
    if (chosen.size + front.length <= nBelow) {
      for (const t of front) chosen.add(t);
      continue;
    }
    const dist = crowdingDistances(
      front.map((t) => t.values!),
      directions,
    );
    const order = front.map((_, i) => i).sort((a, b) => dist[b]! - dist[a]! || a - b);
    for (const i of order.slice(0, nBelow - chosen.size)) chosen.add(front[i]!);
  }
  // Infeasible trials are good only when too few feasible ones exist, the least-off first.
  for (const t of infeasible) if (chosen.size < nBelow) chosen.add(t);
  return {
    below: finished.filter((t) => chosen.has(t)),
    above: finished.filter((t) => !chosen.has(t)),
    n: finished.length,
  };
}
