import type { ParamSpec, ParamValue, Params, SearchSpace } from '../spec/search-space';
import { hasConditions, isParamActive, paramOrder } from '../spec/conditions';

export class GridError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GridError';
  }
}

function roundSig(x: number): number {
  return Number(x.toPrecision(12));
}

/** The values grid search tries for one parameter, in order. */
export function gridValues(name: string, p: ParamSpec): ParamValue[] {
  switch (p.type) {
    case 'choice':
      return [...p.values];
    case 'int': {
      if (p.gridPoints !== undefined) {
        // gridPoints values spaced evenly (geometrically with log), snapped to the step, deduplicated.
        const n = p.gridPoints;
        const steps = Math.floor((p.max - p.min) / p.step);
        const out: number[] = [];
        for (let i = 0; i < n; i++) {
          const t = n === 1 ? 0.5 : i / (n - 1);
          const x = p.log
            ? Math.exp(Math.log(p.min) + t * (Math.log(p.max) - Math.log(p.min)))
            : p.min + t * (p.max - p.min);
          const k = Math.min(steps, Math.max(0, Math.round((x - p.min) / p.step)));
          const v = p.min + k * p.step;
          if (!out.includes(v)) out.push(v);
        }
        return out;
      }
      const out: number[] = [];
      for (let v = p.min; v <= p.max; v += p.step) out.push(v);
      return out;
    }
    case 'uniform':
    case 'loguniform': {
      if (p.gridPoints === undefined) {
        throw new GridError(
          `searchSpace.${name}: grid search needs gridPoints for a ${p.type} range (how many evenly spaced values to try), or use a choice`,
        );
      }
      const n = p.gridPoints;
      if (n === 1) return [p.type === 'uniform' ? (p.min + p.max) / 2 : Math.sqrt(p.min * p.max)];
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const t = i / (n - 1);
        out.push(
          roundSig(
            p.type === 'uniform'
              ? p.min + t * (p.max - p.min)
              : Math.exp(Math.log(p.min) + t * (Math.log(p.max) - Math.log(p.min))),
          ),
        );
      }
      return out;
    }
  }
}

export function gridSize(space: SearchSpace): number {
  if (hasConditions(space)) return expandGrid(space).length;
  return Object.entries(space).reduce((n, [name, p]) => n * gridValues(name, p).length, 1);
}

/**
 * Cartesian product in a stable order: the first parameter varies slowest. With conditional
 * params the parents are expanded before their dependants (spec/conditions.ts `paramOrder`)
 * and an inactive param is left out rather than multiplied in, so no two points differ only in
 * inactive params.
 */
export function expandGrid(space: SearchSpace): Params[] {
  const dims = paramOrder(space).map((name) => [name, gridValues(name, space[name]!)] as const);
  let combos: Params[] = [{}];
  for (const [name, values] of dims) {
    const next: Params[] = [];
    for (const combo of combos) {
      if (!isParamActive(space, name, combo)) next.push(combo);
      else for (const v of values) next.push({ ...combo, [name]: v });
    }
    combos = next;
  }
  return combos;
}
