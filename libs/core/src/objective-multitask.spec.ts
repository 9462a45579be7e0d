import { describe, expect, it } from 'vitest';
import { objectiveValues } from './objective';
import { nonDominatedRanks } from './search/pareto';
import { parseSweepSpec } from './spec/sweep-spec';

/**
 * A multi-task sweep's metric (docs/multitask.md) is one task's (`val_acc_item`), the weighted
 * total (`val_loss`), or several objectives across tasks: all go through the same machinery as
 * any other metric name.
 */
const base = {
  name: 'mt',
  dataset: 'demo:fashion-multitask',
  baseModel: 'imagenet:efficientnet-lite0@32',
  algorithm: 'tpe',
  maxTrials: 8,
  fixed: { tasks: 'item,group' },
  searchSpace: { taskWeights: { type: 'uniform', min: 0, max: 2 } },
};

describe('multi-task sweep metrics', () => {
  it('accepts one task, the total, and objectives across tasks', () => {
    expect(parseSweepSpec({ ...base, metric: { name: 'val_acc_item' } }).metric).toEqual({
      name: 'val_acc_item',
      goal: 'maximize',
    });
    expect(
      parseSweepSpec({ ...base, metric: { name: 'val_loss', goal: 'minimize' } }).metric.goal,
    ).toBe('minimize');
    const spec = parseSweepSpec({
      ...base,
      metric: { name: 'val_acc_item', goal: 'maximize' },
      objectives: [
        { name: 'val_acc_group', goal: 'maximize' },
        { name: 'val_loss', goal: 'minimize' },
      ],
    });
    expect(spec.objectives.map((o) => o.name)).toEqual(['val_acc_group', 'val_loss']);
  });

  it('reads per-task objective values from a result, and ranks trials across tasks', () => {
    const objectives = [{ name: 'val_acc_group' }];
    const results = [
      { val_acc_item: 0.7, val_acc_group: 0.9 },
      { val_acc_item: 0.8, val_acc_group: 0.85 },
      { val_acc_item: 0.65, val_acc_group: 0.88 }, // beaten on both by the first
    ];
    const points = results.map((v) => objectiveValues(v.val_acc_item, v, objectives)!);
    expect(points).toEqual([
      [0.7, 0.9],
      [0.8, 0.85],
      [0.65, 0.88],
    ]);
    expect(nonDominatedRanks(points, ['maximize', 'maximize'])).toEqual([0, 0, 1]);
    // A trial that did not report the other task's accuracy has no objective vector.
    expect(objectiveValues(0.7, { val_acc_item: 0.7 }, objectives)).toBeNull();
  });
});
