import { describe, expect, it } from 'vitest';
import type { MetricGoal } from '../spec/sweep-spec';
import { crowdingDistances, dominates, nonDominatedRanks, paretoFront } from './pareto';

const dirs: MetricGoal[] = ['minimize', 'maximize']; // e.g. latency ↓, accuracy ↑

describe('Pareto front', () => {
  const trials = [
    { id: 'a', state: 'completed', values: [1, 5] },
    { id: 'b', state: 'completed', values: [2, 6] },
    { id: 'c', state: 'completed', values: [2, 4] }, // dominated by a and b
    { id: 'd', state: 'completed', values: [3, 6] }, // dominated by b (tie in accuracy)
    { id: 'e', state: 'completed', values: [1, 5] }, // equal to a: neither dominates
    { id: 'f', state: 'completed', values: [NaN, 10] }, // NaN latency is worst, but best accuracy
    { id: 'g', state: 'completed', values: [NaN, 1] }, // dominated by everything numeric
    { id: 'h', state: 'failed', values: [0, 100] }, // not completed: ignored
    { id: 'i', state: 'completed', values: null },
    { id: 'j', state: 'completed', values: [0] }, // wrong arity: ignored
  ];

  it('keeps the non-dominated completed trials, ties and NaN included', () => {
    expect(paretoFront(trials, dirs).map((t) => t.id)).toEqual(['a', 'b', 'e', 'f']);
  });

  it('ranks the fronts', () => {
    const pts = trials.slice(0, 7).map((t) => t.values!);
    expect(nonDominatedRanks(pts, dirs)).toEqual([0, 0, 1, 1, 0, 0, 2]);
  });

  it('dominance needs one strictly better objective', () => {
    expect(dominates([1, 5], [1, 5], dirs)).toBe(false);
    expect(dominates([1, 6], [1, 5], dirs)).toBe(true);
    expect(dominates([1, 5], [NaN, 5], dirs)).toBe(true);
    expect(dominates([NaN, 5], [NaN, 5], dirs)).toBe(false);
    expect(dominates([0, 0], [1, 1], dirs)).toBe(false);
  });

  it('single objective: every trial tied at the best', () => {
    const single = [{ values: [3] }, { values: [1] }, { values: [1] }, { values: [NaN] }];
    expect(paretoFront(single, ['minimize'])).toEqual([{ values: [1] }, { values: [1] }]);
  });

  it('crowding distance favours the ends and isolated points', () => {
    const d = crowdingDistances(
      [
        [0, 10],
        [1, 9],
        [5, 5],
        [10, 0],
      ],
      ['minimize', 'minimize'],
    );
    expect(d[0]).toBe(Infinity);
    expect(d[3]).toBe(Infinity);
    expect(d[2]!).toBeGreaterThan(d[1]!);
    expect(d[1]).toBeCloseTo(0.5 + 0.5);
  });
});
