import { shiftingLrGain, shiftingLrValAcc } from '@retune/synthetic-trainer/objective';
import type { Params } from '@retune/core';
import type { SearchTask } from './task';

const EPOCHS = 8;

/** val_acc after each epoch when epoch i trains with schedule[i] (trainers/synthetic). */
function scheduleCurve(schedule: readonly Params[]): number[] {
  let skill = 0;
  return schedule.map((params, epoch) => {
    skill += shiftingLrGain(params, epoch, EPOCHS);
    return shiftingLrValAcc(params, skill, EPOCHS);
  });
}

/**
 * The synthetic trainer's `landscape: shifting-lr`, as PBT's workflow test runs it (one
 * log-uniform `lr`, 8 epochs): the best rate falls from 1e-1 to 1e-3 during training, so a
 * schedule beats every constant rate. The goal is 99 % of the best constant rate's val_acc (what
 * any fixed-params search can reach); the regret is measured from the best schedule (a rate on
 * the moving optimum every epoch, val_acc 0.95), which only PBT can approach.
 */
export function shiftingLrTask(): SearchTask {
  const curve = (params: Params) => scheduleCurve(Array.from({ length: EPOCHS }, () => params));
  let bestConstant = 0;
  for (let i = 0; i <= 4000; i++) {
    bestConstant = Math.max(bestConstant, curve({ lr: 10 ** (-4 + i / 1000) }).at(-1)!);
  }
  const bestSchedule = scheduleCurve(
    Array.from({ length: EPOCHS }, (_, e) => ({ lr: 10 ** (-1 - (2 * e) / (EPOCHS - 1)) })),
  ).at(-1)!;
  return {
    name: 'shifting-lr',
    description: `synthetic trainer, landscape shifting-lr (best lr 1e-1 → 1e-3 over ${EPOCHS} epochs), one log-uniform lr`,
    metric: 'val_acc',
    epochs: EPOCHS,
    space: { lr: { type: 'loguniform', min: 1e-4, max: 1 } },
    curve,
    scheduleCurve,
    best: bestSchedule,
    goal: 0.99 * bestConstant,
    goalText: `99 % of the best constant rate's ${bestConstant.toPrecision(4)}; regret from the best schedule's ${bestSchedule.toPrecision(4)}`,
  };
}
