import { describe, expect, it } from 'vitest';
import { groupTaskCurves, sweepTasks, taskScatterPoints } from './task-metrics';

describe('multi-task views', () => {
  it('sweepTasks: the tasks of every trial, first-seen order; none for single-task trials', () => {
    expect(
      sweepTasks([{ params: { tasks: 'item, group' } }, { params: { tasks: 'item,colour' } }]),
    ).toEqual(['item', 'group', 'colour']);
    expect(sweepTasks([{ params: { lr: 0.1 } }])).toEqual([]);
  });

  it('groups per-task curves by kind in task order, and keeps the rest (per-class ones too)', () => {
    const curves = new Map<string, string>([
      ['val_acc', 'total'],
      ['val_acc_group', 'g-acc'],
      ['val_acc_item', 'i-acc'],
      ['loss_item', 'i-loss'],
      ['task_weight_group', 'g-w'],
      ['val_acc_class_cat', 'per-class'],
      ['best_val_acc_item', 'final only'],
    ]);
    const { groups, other } = groupTaskCurves(curves, ['item', 'group']);
    expect(groups).toEqual([
      {
        kind: 'val_acc',
        series: [
          { task: 'item', curve: 'i-acc' },
          { task: 'group', curve: 'g-acc' },
        ],
      },
      { kind: 'loss', series: [{ task: 'item', curve: 'i-loss' }] },
      { kind: 'task_weight', series: [{ task: 'group', curve: 'g-w' }] },
    ]);
    expect(other.map(([n]) => n)).toEqual(['val_acc', 'val_acc_class_cat', 'best_val_acc_item']);
    expect(groupTaskCurves(curves, []).groups).toEqual([]);
  });

  it('scatter: one point per trial with both tasks, front marked by trial id', () => {
    const trials: { id: string; number: number; values: Record<string, number> }[] = [
      { id: 'a', number: 1, values: { val_acc_item: 0.8, val_acc_group: 0.9 } },
      { id: 'b', number: 2, values: { val_acc_item: 0.7 } },
      { id: 'c', number: 3, values: { val_acc_item: 0.6, val_acc_group: 0.95, val_loss_item: 1 } },
    ];
    expect(taskScatterPoints(trials, 'val_acc', ['item', 'group'], new Set(['c']))).toEqual([
      { label: '#1', x: 0.8, y: 0.9, onFront: false },
      { label: '#3', x: 0.6, y: 0.95, onFront: true },
    ]);
    expect(taskScatterPoints(trials, 'val_acc', ['group', 'item'], new Set())[0]).toMatchObject({
      x: 0.9,
      y: 0.8,
    });
    expect(taskScatterPoints(trials, 'val_loss', ['item', 'group'], new Set())).toEqual([]);
  });
});
