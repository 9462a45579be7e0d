import { taskMetricName } from '@retune/core';
import type { ImageDataset } from '../data/dataset';
import { round6 } from '../emit';
import type { TaskHead } from './model';

/** The heads a multi-task dataset needs: one per task, its class count. */
export const taskHeads = (ds: ImageDataset): TaskHead[] =>
  (ds.tasks ?? []).map((t) => ({ task: t.name, classes: t.classNames.length }));

/** Per-task metrics rounded as the trial reports them (none for single-task training). */
export function roundedExtra(extra: Record<string, number> | undefined): Record<string, number> {
  return Object.fromEntries(Object.entries(extra ?? {}).map(([k, v]) => [k, round6(v)]));
}

/** `best_val_acc_<task>`: each task's best epoch (and the final evaluation). */
export function bestPerTask(
  history: readonly { values: Record<string, number> }[],
  final: Record<string, number> | undefined,
  tasks: readonly string[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const task of tasks) {
    const name = taskMetricName('val_acc', task);
    const accs = [...history.map((h) => h.values[name]), final?.[name]].filter(
      (a): a is number => a !== undefined && Number.isFinite(a),
    );
    if (accs.length > 0) out[taskMetricName('best_val_acc', task)] = round6(Math.max(...accs));
  }
  return out;
}

/**
 * The tasks of a saved multi-task model, from its output layers (`head_<task>_out`, in task
 * order); [] for a single-task model. Lets a holdout scorer load the matching dataset labels.
 */
export function modelTasks(model: { outputNames: string[] }): string[] {
  const tasks = model.outputNames.map((n) => /^head_([a-z][a-z0-9]*)_out$/.exec(n)?.[1]);
  return tasks.length > 0 && tasks.every((t) => t !== undefined) ? (tasks as string[]) : [];
}
