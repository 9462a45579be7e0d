import { TASK_NAME_PATTERN, tasksFromParams } from '../metrics/per-task';
import type { SweepSpec } from './sweep-spec';

/**
 * The multi-task params of docs/multitask.md, read once here for the trainer (one trial's
 * params) and for launch (every value a spec can give them).
 */
export const MULTITASK_PARAMS = ['tasks', 'taskWeights', 'shareDepth', 'sharing', 'softPenalty'];
export const SHARING_MODES = ['hard', 'soft'] as const;
export const DEFAULT_SOFT_PENALTY = 0.01;

export interface MultiTaskSettings {
  tasks: string[];
  /** One weight per task, or `auto` (learned log-variances, Kendall et al. 2018). */
  weights: number[] | 'auto';
  /** Shared base layers with weights; undefined = all (no towers). */
  shareDepth: number | undefined;
  sharing: (typeof SHARING_MODES)[number];
  softPenalty: number;
}

export interface ParamIssue {
  param: string;
  message: string;
}

/** Issues of a `tasks` value (a comma-separated list of task names). */
export function taskListIssues(raw: unknown): ParamIssue[] {
  const fix = 'give comma-separated task names such as item,group';
  if (typeof raw !== 'string') return [{ param: 'tasks', message: `must be a string: ${fix}` }];
  const tasks = tasksFromParams({ tasks: raw });
  if (tasks.length === 0) return [{ param: 'tasks', message: `is empty: ${fix}` }];
  const bad = tasks.filter((t) => !TASK_NAME_PATTERN.test(t));
  if (bad.length > 0) {
    return [
      {
        param: 'tasks',
        message: `bad task name(s) ${bad.map((t) => `"${t}"`).join(', ')}: a task name is lower-case letters and digits, starting with a letter (${TASK_NAME_PATTERN.source})`,
      },
    ];
  }
  const dup = tasks.filter((t, i) => tasks.indexOf(t) !== i);
  if (dup.length > 0) {
    return [
      { param: 'tasks', message: `lists ${dup.join(', ')} more than once: list each task once` },
    ];
  }
  return [];
}

/** `taskWeights` for `n` tasks: a list, one number w (= [1, w, w, …]) or `auto`. */
export function parseTaskWeights(
  raw: unknown,
  n: number,
): { weights?: number[] | 'auto'; issue?: ParamIssue } {
  const issue = (message: string) => ({ issue: { param: 'taskWeights', message } });
  if (raw === undefined) return { weights: new Array<number>(n).fill(1) };
  if (raw === 'auto') return { weights: 'auto' };
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || raw < 0) {
      return issue(`${raw} is negative or not finite: a weight is a number ≥ 0`);
    }
    return { weights: Array.from({ length: n }, (_, i) => (i === 0 ? 1 : raw)) };
  }
  if (typeof raw !== 'string') return issue('must be a number, a comma-separated list or auto');
  const parts = raw.split(',').map((s) => s.trim());
  const weights = parts.map(Number);
  const bad = parts.filter((s, i) => s === '' || !Number.isFinite(weights[i]));
  if (bad.length > 0) {
    return issue(
      `"${raw}" is not a list of numbers: give one number ≥ 0 per task (e.g. 1,0.5), one number w for [1, w, …], or auto`,
    );
  }
  if (weights.some((w) => w < 0)) return issue(`"${raw}" has a negative weight: weights are ≥ 0`);
  if (weights.length === 1) return parseTaskWeights(weights[0], n);
  if (weights.length !== n) {
    return issue(
      `lists ${weights.length} weights for ${n} task(s): give one weight per task, in the order of tasks`,
    );
  }
  return { weights };
}

function shareDepthIssue(raw: unknown): ParamIssue | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0) {
    return {
      param: 'shareDepth',
      message: `${String(raw)} is not a layer count: give an integer ≥ 0 (base layers with weights, as freezeDepth counts them), or leave it out to share the whole base`,
    };
  }
  return undefined;
}

function sharingIssues(sharing: unknown, softPenalty: unknown, shareDepth: unknown): ParamIssue[] {
  const out: ParamIssue[] = [];
  if (sharing !== undefined && !SHARING_MODES.includes(sharing as 'hard')) {
    out.push({ param: 'sharing', message: `"${String(sharing)}" is not hard or soft` });
  }
  if (
    softPenalty !== undefined &&
    (typeof softPenalty !== 'number' || !Number.isFinite(softPenalty) || softPenalty < 0)
  ) {
    out.push({ param: 'softPenalty', message: `${String(softPenalty)} is not a number ≥ 0` });
  }
  if (sharing === 'soft' && shareDepth === undefined) {
    out.push({
      param: 'sharing',
      message:
        'soft sharing needs towers to pull together, but without shareDepth the whole base is shared: set shareDepth below the base depth, or use sharing: hard',
    });
  }
  return out;
}

/**
 * One trial's multi-task settings, or undefined for a single-task trial (no `tasks`). Throws
 * naming each bad param and its fix; other params are left to their own parser.
 */
export function readMultiTaskParams(
  params: Record<string, unknown>,
): MultiTaskSettings | undefined {
  if (params['tasks'] === undefined) {
    const stray = MULTITASK_PARAMS.filter((p) => params[p] !== undefined);
    if (stray.length === 0) return undefined;
    throw new Error(
      `invalid trainer params: params.${stray[0]}: only used with multi-task training; set params.tasks (e.g. item,group) or remove it`,
    );
  }
  const issues = taskListIssues(params['tasks']);
  const tasks = tasksFromParams(params);
  const w = parseTaskWeights(params['taskWeights'], tasks.length);
  if (w.issue) issues.push(w.issue);
  const depth = shareDepthIssue(params['shareDepth']);
  if (depth) issues.push(depth);
  issues.push(...sharingIssues(params['sharing'], params['softPenalty'], params['shareDepth']));
  if (issues.length > 0) {
    throw new Error(
      `invalid trainer params: ${issues.map((i) => `params.${i.param}: ${i.message}`).join('; ')}`,
    );
  }
  return {
    tasks,
    weights: w.weights!,
    shareDepth: params['shareDepth'] as number | undefined,
    sharing: (params['sharing'] as MultiTaskSettings['sharing'] | undefined) ?? 'hard',
    softPenalty: (params['softPenalty'] as number | undefined) ?? DEFAULT_SOFT_PENALTY,
  };
}

type Candidates = { section: 'fixed' | 'searchSpace'; values: unknown[] } | undefined;

/** Every value a spec may give `param`: the fixed value, a choice's values, a range's ends. */
function candidates(spec: Pick<SweepSpec, 'fixed' | 'searchSpace'>, param: string): Candidates {
  if (Object.hasOwn(spec.fixed, param)) return { section: 'fixed', values: [spec.fixed[param]] };
  const p = spec.searchSpace[param];
  if (!p) return undefined;
  if (p.type === 'choice') return { section: 'searchSpace', values: p.values };
  return { section: 'searchSpace', values: [p.min, p.max] };
}

/**
 * Launch-time issues of the multi-task params of a built-in trainer's spec, each naming its
 * field (`fixed.taskWeights`, `searchSpace.tasks`) and the fix. Values that depend on the data
 * or base (task names present in the dataset, shareDepth ≤ the base depth) are the preflight's.
 */
export function multiTaskParamIssues(
  spec: Pick<SweepSpec, 'trainer' | 'fixed' | 'searchSpace'>,
): { path: string; message: string }[] {
  if (!('name' in spec.trainer) || !['tfjs', 'synthetic'].includes(spec.trainer.name)) return [];
  const c = Object.fromEntries(MULTITASK_PARAMS.map((p) => [p, candidates(spec, p)]));
  const out: { path: string; message: string }[] = [];
  const add = (param: string, message: string) => {
    const at = c[param]?.section ?? 'fixed';
    if (!out.some((o) => o.path === `${at}.${param}` && o.message === message)) {
      out.push({ path: `${at}.${param}`, message });
    }
  };
  const taskLists = c['tasks']?.values ?? [];
  if (taskLists.length === 0) {
    for (const p of MULTITASK_PARAMS.filter((p) => c[p])) {
      add(p, 'only used with multi-task training: set tasks (e.g. item,group) or remove it');
    }
    return out;
  }
  for (const t of taskLists) for (const i of taskListIssues(t)) add(i.param, i.message);
  const counts = [...new Set(taskLists.map((t) => tasksFromParams({ tasks: t }).length))];
  for (const w of c['taskWeights']?.values ?? []) {
    for (const n of counts) {
      const { issue } = parseTaskWeights(w, n);
      if (issue) add(issue.param, issue.message);
    }
  }
  const depthType = spec.searchSpace['shareDepth']?.type;
  if (depthType === 'uniform' || depthType === 'loguniform') {
    add('shareDepth', 'is a layer count: search it with type int or choice');
  }
  for (const d of c['shareDepth']?.values ?? []) {
    const issue = shareDepthIssue(d);
    if (issue) add(issue.param, issue.message);
  }
  const depth = c['shareDepth']?.values[0];
  for (const s of c['sharing']?.values ?? [undefined]) {
    for (const p of c['softPenalty']?.values ?? [undefined]) {
      for (const i of sharingIssues(s, p, depth)) add(i.param, i.message);
    }
  }
  return out;
}

/** What the preflight checks of a multi-task sweep: every task it may name, its largest shareDepth. */
export interface MultiTaskPreflight {
  tasks: string[];
  maxShareDepth?: number;
}

/** The preflight input of a spec's multi-task params (undefined when it has no `tasks`). */
export function multiTaskPreflight(
  spec: Pick<SweepSpec, 'fixed' | 'searchSpace'>,
): MultiTaskPreflight | undefined {
  const lists = candidates(spec, 'tasks')?.values ?? [];
  if (lists.length === 0) return undefined;
  const tasks = [...new Set(lists.flatMap((t) => tasksFromParams({ tasks: t })))];
  const depths = (candidates(spec, 'shareDepth')?.values ?? []).filter(
    (d): d is number => typeof d === 'number',
  );
  return depths.length > 0 ? { tasks, maxShareDepth: Math.max(...depths) } : { tasks };
}
