/**
 * Standard test functions (minimised) as multi-fidelity tasks: the metric is −f, and its learning
 * curve approaches −f(x) at a speed that depends on x, so early epochs rank points imperfectly
 * (what early stopping has to cope with).
 */
import { sampleRandomTrial, type Params } from '@retune/core';
import { parsedSpace, type SearchTask } from './task';

const branin = (p: Params) => {
  const x1 = p.x1 as number;
  const x2 = p.x2 as number;
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
};

const H_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((row) => row.map((v) => v * 1e-4));
const hartmann6 = (p: Params) => {
  const x = [1, 2, 3, 4, 5, 6].map((j) => p[`x${j}`] as number);
  return -H_ALPHA.reduce(
    (sum, a, i) =>
      sum + a * Math.exp(-x.reduce((s, xj, j) => s + H_A[i]![j]! * (xj - H_P[i]![j]!) ** 2, 0)),
    0,
  );
};

function functionTask(
  name: string,
  description: string,
  space: SearchTask['space'],
  f: (p: Params) => number,
  fMin: number,
  epochs: number,
): SearchTask {
  // Scale of the task: how far a typical (median random) point is from the optimum.
  const parsed = parsedSpace(space);
  const values = Array.from({ length: 2001 }, (_, i) => f(sampleRandomTrial(parsed, 7, i)));
  const median = values.sort((a, b) => a - b)[1000]!;
  const spread = median - fMin;
  const curve = (p: Params) => {
    const final = -f(p);
    const xs = Object.values(p).map(Number);
    // How slowly this point learns: in [0.5, 1.5], smooth in x.
    const slowness = 1 + 0.5 * Math.sin(3 * xs.reduce((a, b) => a + b, 0));
    return Array.from({ length: epochs }, (_, e) => {
      const progress = (1 - Math.exp((-3 * (e + 1)) / epochs)) / (1 - Math.exp(-3));
      return final - spread * (1 - progress) * slowness;
    });
  };
  return {
    name,
    description,
    metric: `-${name}`,
    epochs,
    space,
    curve,
    best: -fMin,
    goal: -fMin - 0.01 * spread,
    goalText: `regret ≤ 1 % of the median random point's (${(0.01 * spread).toPrecision(3)})`,
  };
}

export const braninTask = ({ epochs }: { epochs: number }) =>
  functionTask(
    'branin',
    'Branin (2 continuous params, 3 global minima 0.397887)',
    {
      x1: { type: 'uniform', min: -5, max: 10 },
      x2: { type: 'uniform', min: 0, max: 15 },
    },
    branin,
    0.397887,
    epochs,
  );

export const hartmann6Task = ({ epochs }: { epochs: number }) =>
  functionTask(
    'hartmann6',
    'Hartmann-6 (6 continuous params in [0, 1], minimum −3.32237)',
    Object.fromEntries(
      [1, 2, 3, 4, 5, 6].map((j) => [`x${j}`, { type: 'uniform', min: 0, max: 1 }] as const),
    ),
    hartmann6,
    -3.32237,
    epochs,
  );
