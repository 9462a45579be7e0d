/**
 * Conditional parameters: a param with `when: { other: value | [values] }` is active only when
 * every named param is itself active and its value equals (or is one of) the given value(s).
 * Conditions may chain (a → b → c); cycles and unknown params are spec errors.
 */
import type { ParamSpec, ParamValue, Params, SearchSpace } from './search-space';

export type ConditionValue = ParamValue | readonly ParamValue[];
export type Conditions = Readonly<Record<string, ConditionValue>>;

/** An issue in the conditions of a search space; `path` is relative to the search space. */
export interface ConditionIssue {
  path: (string | number)[];
  message: string;
}

function conditionsOf(p: ParamSpec): Conditions | undefined {
  return (p as { when?: Conditions }).when;
}

function accepted(cond: ConditionValue): readonly ParamValue[] {
  return Array.isArray(cond) ? (cond as readonly ParamValue[]) : [cond as ParamValue];
}

/** Whether `value` satisfies one condition (strict equality with one accepted value). */
export function conditionHolds(cond: ConditionValue, value: ParamValue | undefined): boolean {
  return value !== undefined && accepted(cond).some((v) => v === value);
}

/** Names of the params `name` depends on directly (its `when` keys). */
export function parentsOf(space: SearchSpace, name: string): string[] {
  const p = space[name];
  const when = p ? conditionsOf(p) : undefined;
  return when ? Object.keys(when) : [];
}

/** True when at least one param of the space has a condition. */
export function hasConditions(space: SearchSpace): boolean {
  return Object.values(space).some((p) => conditionsOf(p) !== undefined);
}

/**
 * Every problem with the conditions of a space: unknown or self references, values a parent can
 * never take, conditions on continuous params, and cycles. Used by `searchSpaceSchema`.
 */
export function conditionIssues(space: SearchSpace): ConditionIssue[] {
  const issues: ConditionIssue[] = [];
  for (const [name, p] of Object.entries(space)) {
    const when = conditionsOf(p);
    if (!when) continue;
    for (const [parent, cond] of Object.entries(when)) {
      const path = [name, 'when', parent];
      const ps = space[parent];
      if (parent === name) {
        issues.push({ path, message: `"${name}" cannot depend on itself` });
        continue;
      }
      if (!ps) {
        issues.push({
          path,
          message: `unknown parameter "${parent}": a condition must name another parameter of the search space`,
        });
        continue;
      }
      if (ps.type === 'uniform' || ps.type === 'loguniform') {
        issues.push({
          path,
          message: `"${parent}" is a ${ps.type} range: conditions can only test choice or int parameters`,
        });
        continue;
      }
      for (const v of accepted(cond)) {
        if (ps.type === 'choice' && !ps.values.some((c) => c === v)) {
          issues.push({
            path,
            message: `${JSON.stringify(v)} is not one of the values of "${parent}" (${ps.values.map((c) => JSON.stringify(c)).join(', ')})`,
          });
        } else if (
          ps.type === 'int' &&
          (typeof v !== 'number' ||
            !Number.isInteger(v) ||
            v < ps.min ||
            v > ps.max ||
            (v - ps.min) % ps.step !== 0)
        ) {
          issues.push({
            path,
            message: `${JSON.stringify(v)} is not a value "${parent}" can take (int ${ps.min}..${ps.max} step ${ps.step})`,
          });
        }
      }
    }
  }
  // Cycles: depth-first search over the `when` edges; report each cycle once, at its first param.
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const parent of parentsOf(space, name)) {
      if (!space[parent] || parent === name) continue;
      const s = state.get(parent);
      if (s === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(parent)), parent];
        issues.push({
          path: [name, 'when', parent],
          message: `conditions form a cycle: ${cycle.join(' → ')}`,
        });
      } else if (s === undefined) {
        visit(parent);
      }
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of Object.keys(space)) if (!state.has(name)) visit(name);
  return issues;
}

/**
 * The params in an order where every param comes after the params its condition names
 * (declaration order otherwise, so a space without conditions keeps its order). Params caught in
 * a cycle (only possible for an unvalidated space) come last.
 */
export function paramOrder(space: SearchSpace): string[] {
  const names = Object.keys(space);
  const out: string[] = [];
  const placed = new Set<string>();
  let progress = true;
  while (progress && out.length < names.length) {
    progress = false;
    for (const name of names) {
      if (placed.has(name)) continue;
      if (parentsOf(space, name).every((p) => placed.has(p) || !space[p])) {
        out.push(name);
        placed.add(name);
        progress = true;
        break; // restart so earlier-declared params that just became ready go first
      }
    }
  }
  for (const name of names) if (!placed.has(name)) out.push(name);
  return out;
}

/**
 * Whether `name` is active given (possibly partial) `params`: every param its condition names
 * must be active and hold an accepted value. Unknown params and cycles count as inactive.
 */
export function isParamActive(
  space: SearchSpace,
  name: string,
  params: Readonly<Params>,
  visiting: Set<string> = new Set(),
): boolean {
  const p = space[name];
  if (!p) return false;
  const when = conditionsOf(p);
  if (!when) return true;
  if (visiting.has(name)) return false;
  visiting.add(name);
  try {
    for (const [parent, cond] of Object.entries(when)) {
      if (!conditionHolds(cond, params[parent])) return false;
      if (!isParamActive(space, parent, params, visiting)) return false;
    }
    return true;
  } finally {
    visiting.delete(name);
  }
}

/** Names of the params active under `params`, in declaration order. */
export function activeParamNames(space: SearchSpace, params: Readonly<Params>): string[] {
  return Object.keys(space).filter((name) => isParamActive(space, name, params));
}

/** `params` without the searched params that are inactive (params not in the space are kept). */
export function dropInactive(space: SearchSpace, params: Readonly<Params>): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(params)) {
    if (!(k in space) || isParamActive(space, k, params)) out[k] = v;
  }
  return out;
}

/** Whether `v` is one of a choice's values or a finite number within a range's bounds. */
export function inRange(p: ParamSpec, v: ParamValue | undefined): boolean {
  if (v === undefined) return false;
  if (p.type === 'choice') return p.values.some((c) => c === v);
  return typeof v === 'number' && Number.isFinite(v) && v >= p.min && v <= p.max;
}

/** In range, and an integer where the param is an int: a value this space could propose. */
function fits(p: ParamSpec, v: ParamValue | undefined): boolean {
  return inRange(p, v) && (p.type !== 'int' || Number.isInteger(v));
}

/**
 * The part of another sweep's params that this space could have proposed: searched params that
 * are active and within their range or choices (others dropped), or null when nothing fits.
 * Warm starts feed earlier sweeps' trials to a sampler through this.
 */
export function paramsWithinSpace(space: SearchSpace, params: Readonly<Params>): Params | null {
  const out: Params = {};
  for (const name of paramOrder(space)) {
    const v = params[name];
    if (fits(space[name]!, v) && isParamActive(space, name, out)) out[name] = v!;
  }
  return Object.keys(out).length > 0 ? out : null;
}
