import { expandGrid, parseSweepSpec } from '@retune/core';
import { finalValAcc } from '@retune/synthetic-trainer/objective';
import type { SearchTask } from './task';

/** The synthetic trainer's known objective and its learning curve (see trainers/synthetic). */
export function syntheticTask({ epochs }: { epochs: number }): SearchTask {
  const task: Omit<SearchTask, 'best' | 'goal' | 'goalText'> = {
    name: 'synthetic',
    description: 'synthetic trainer (known optimum val_acc 0.95), continuous space',
    metric: 'val_acc',
    epochs,
    space: {
      headLr: { type: 'loguniform', min: 1e-4, max: 1, gridPoints: 5 },
      freezeDepth: { type: 'int', min: 0, max: 6, step: 2 },
      dropout: { type: 'uniform', min: 0, max: 0.6, gridPoints: 4 },
      augment: { type: 'choice', values: ['none', 'light', 'heavy'] },
    },
    curve(params) {
      const target = finalValAcc(params);
      return Array.from({ length: epochs }, (_, epoch) => {
        const progress = 1 - Math.exp((-3 * (epoch + 1)) / epochs);
        return (target * (0.5 + 0.5 * progress)) / (0.5 + 0.5 * (1 - Math.exp(-3)));
      });
    },
  };
  // The goal the figures use: 99 % of the best point of the spec's grid.
  const grid = expandGrid(
    parseSweepSpec({
      name: 'g',
      dataset: 'd',
      baseModel: 'b',
      algorithm: 'grid',
      searchSpace: task.space,
    }).searchSpace,
  );
  const gridBest = Math.max(...grid.map((p) => task.curve(p).at(-1)!));
  // Regret is measured from the true optimum (see objective.mjs), the goal from the grid's best.
  const optimum = { headLr: 1e-2, freezeDepth: 2, dropout: 0.3, augment: 'light' };
  return {
    ...task,
    best: task.curve(optimum).at(-1)!,
    goal: 0.99 * gridBest,
    goalText: `99 % of the ${grid.length}-point grid's best ${gridBest.toPrecision(4)}`,
  };
}
