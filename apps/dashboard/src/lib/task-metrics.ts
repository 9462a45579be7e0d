import {
  parseTaskMetric,
  taskMetricName,
  tasksFromParams,
  type MetricGoal,
  type TaskMetricKind,
} from '@retune/core';
import type { ParetoPoint } from './chart-options';

/**
 * Multi-task views (docs/multitask.md): a trial's per-task curves grouped by kind, and the
 * task-vs-task scatter of final metrics. Plain data, so they are testable without a canvas.
 */

/** Every task any trial trains, in first-seen order (empty for a single-task sweep). */
export function sweepTasks(trials: { params: Record<string, unknown> }[]): string[] {
  return [...new Set(trials.flatMap((t) => tasksFromParams(t.params)))];
}

/** The kinds drawn as per-task curves, in the order the panels show them. */
export const TASK_CURVE_KINDS: readonly TaskMetricKind[] = [
  'val_acc',
  'val_loss',
  'loss',
  'task_weight',
];

export interface TaskCurveGroup<C> {
  kind: TaskMetricKind;
  /** One curve per task that reported this kind, in the sweep's task order. */
  series: { task: string; curve: C }[];
}

/**
 * A trial's curves split into per-task groups (one chart per kind, one line per task) and the
 * rest (`val_acc`, `val_loss`, … drawn as before). Per-class accuracies look alike
 * (`val_acc_class_cat`) but are not tasks, which is why the task list is needed.
 */
export function groupTaskCurves<C>(
  curves: Map<string, C>,
  tasks: readonly string[],
): { groups: TaskCurveGroup<C>[]; other: [string, C][] } {
  const other: [string, C][] = [];
  const byKind = new Map<TaskMetricKind, Map<string, C>>();
  for (const [name, curve] of curves) {
    const parsed = parseTaskMetric(name, tasks);
    if (!parsed || !TASK_CURVE_KINDS.includes(parsed.kind)) {
      other.push([name, curve]);
      continue;
    }
    const kind = byKind.get(parsed.kind) ?? new Map<string, C>();
    kind.set(parsed.task, curve);
    byKind.set(parsed.kind, kind);
  }
  const groups = TASK_CURVE_KINDS.flatMap((kind) => {
    const of = byKind.get(kind);
    if (!of) return [];
    return [
      {
        kind,
        series: tasks.flatMap((task) => (of.has(task) ? [{ task, curve: of.get(task)! }] : [])),
      },
    ];
  });
  return { groups, other };
}

/** Kinds a task-vs-task scatter can compare, with the direction that is better. */
export const SCATTER_KINDS: { kind: TaskMetricKind; goal: MetricGoal }[] = [
  { kind: 'val_acc', goal: 'maximize' },
  { kind: 'best_val_acc', goal: 'maximize' },
  { kind: 'val_loss', goal: 'minimize' },
];

/**
 * One point per trial that reported both tasks' final `kind`: x = task a, y = task b. `onFront`
 * marks the sweep's Pareto front (over its objectives) when it has several; otherwise none.
 */
export function taskScatterPoints(
  trials: { id: string; number: number; values: Record<string, number> }[],
  kind: TaskMetricKind,
  [a, b]: [string, string],
  frontTrialIds: ReadonlySet<string>,
): ParetoPoint[] {
  return trials.flatMap((t) => {
    const x = t.values[taskMetricName(kind, a)];
    const y = t.values[taskMetricName(kind, b)];
    if (!Number.isFinite(x) || !Number.isFinite(y)) return [];
    return [{ label: `#${t.number}`, x: x!, y: y!, onFront: frontTrialIds.has(t.id) }];
  });
}
