/**
 * Multi-task trials report one curve per task beside the weighted total: `val_acc_<task>`,
 * `val_loss_<task>` (that task's own, unweighted loss) and `loss_<task>` (training). The total
 * keeps the single-task names (`val_loss` is Σ wᵢ·Lᵢ, `val_acc` the mean over tasks), so every
 * existing chart, objective and pruner works unchanged on a multi-task sweep.
 */
export const TASK_METRIC_KINDS = [
  'val_acc',
  'val_loss',
  'loss',
  'best_val_acc',
  'task_weight',
] as const;
export type TaskMetricKind = (typeof TASK_METRIC_KINDS)[number];

/** Task names become metric-name suffixes, so they are restricted to what reads well there. */
export const TASK_NAME_PATTERN = /^[a-z][a-z0-9]*$/;

export const taskMetricName = (kind: TaskMetricKind, task: string) => `${kind}_${task}`;

/**
 * The (kind, task) a metric name stands for, given the sweep's task names; undefined for a
 * metric that is not per task. Needs the task list because `val_acc_class_cat` (per-class
 * accuracy) and `val_acc_item` look alike.
 */
export function parseTaskMetric(
  name: string,
  tasks: readonly string[],
): { kind: TaskMetricKind; task: string } | undefined {
  for (const kind of TASK_METRIC_KINDS) {
    const prefix = `${kind}_`;
    if (!name.startsWith(prefix)) continue;
    const task = name.slice(prefix.length);
    if (tasks.includes(task)) return { kind, task };
  }
  return undefined;
}

/**
 * The task names of a trial or sweep from its params: `tasks` is a comma-separated list
 * (`item,group`); absent or empty means a single-task trial.
 */
export function tasksFromParams(params: Record<string, unknown>): string[] {
  const raw = params['tasks'];
  if (typeof raw !== 'string') return [];
  return raw
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}
