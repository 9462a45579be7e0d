import { finalValAcc } from '@retune/synthetic-trainer/objective';
import type { SearchTask } from './task';

/** The synthetic trainer's known objective and its learning curve (see trainers/synthetic). */
export function syntheticTask({ epochs }: { epochs: number }): SearchTask {
  return {
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
}
