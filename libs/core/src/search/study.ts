import { z } from 'zod';
import { searchSpaceSchema, type Params, type SearchSpace } from '../spec/search-space';
import { metricGoalSchema, type MetricGoal } from '../spec/sweep-spec';
import { isBetter } from '../objective';
import { paramsWithinSpace } from '../spec/conditions';
import { paretoFront } from './pareto';
import { prunerConfigSchema, type PrunerConfig } from '../spec/pruner-config';
import { NopPruner, type ConfigurablePruner } from './pruners';
import { createPruner } from './create-pruner';
import { createSampler, samplerConfigSchema, type SamplerConfig } from './samplers';
import {
  isInfeasible,
  type FrozenTrial,
  type Pruner,
  type Sampler,
  type TrialState,
} from './types';

export interface StudyOptions {
  space: SearchSpace;
  /** One per objective; `values` passed to `tell` follow this order. */
  directions: readonly MetricGoal[];
  sampler: Sampler;
  pruner?: Pruner;
  seed?: number;
}

/** Non-finite numbers survive JSON as strings ("NaN", "Infinity", "-Infinity"). */
const jsonNumber = z.union([
  z.number(),
  z.enum(['NaN', 'Infinity', '-Infinity']).transform((s) => Number(s)),
]);
const encodeNumber = (v: number): number | 'NaN' | 'Infinity' | '-Infinity' =>
  Number.isFinite(v) ? v : (String(v) as 'NaN' | 'Infinity' | '-Infinity');

const trialJsonSchema = z.object({
  number: z.number().int().min(0),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  state: z.enum(['running', 'completed', 'pruned', 'failed']),
  values: z.array(jsonNumber).nullable(),
  /** [step, value] pairs, ascending by step. */
  intermediate: z.array(z.tuple([z.number(), jsonNumber])),
  /** Absent in older JSON and for feasible trials. */
  violation: jsonNumber.optional(),
});

export const studyJsonSchema = z.object({
  version: z.literal(1),
  space: searchSpaceSchema,
  directions: z.array(metricGoalSchema).min(1),
  seed: z.number().int(),
  sampler: z.union([samplerConfigSchema, z.object({ type: z.literal('custom') })]),
  pruner: z.union([prunerConfigSchema, z.object({ type: z.literal('custom') })]),
  trials: z.array(trialJsonSchema),
  /** Warm-start trials from earlier sweeps (numbers -1, -2, …); absent in older JSON. */
  priors: z.array(trialJsonSchema.extend({ number: z.number().int().max(-1) })).default([]),
});
export type StudyJSON = z.input<typeof studyJsonSchema>;

interface MutableTrial {
  number: number;
  params: Params;
  state: TrialState;
  values: number[] | null;
  intermediate: Record<number, number>;
  violation?: number;
}

function freeze(t: MutableTrial): FrozenTrial {
  return {
    number: t.number,
    params: { ...t.params },
    state: t.state,
    values: t.values ? [...t.values] : null,
    intermediate: { ...t.intermediate },
    ...(t.violation ? { violation: t.violation } : {}),
  };
}

function configOf<C>(plugin: object): C | { type: 'custom' } {
  const toJSON = (plugin as { toJSON?: () => C }).toJSON;
  return typeof toJSON === 'function' ? toJSON.call(plugin) : { type: 'custom' };
}

/**
 * Drives a sampler and a pruner over a sweep's trials (Optuna's ask-and-tell). Deterministic:
 * the same sequence of calls gives the same params, and `toJSON()`/`Study.fromJSON()` carries the
 * whole state (e.g. across a Temporal continue-as-new) without changing what comes next.
 */
export class Study {
  readonly space: SearchSpace;
  readonly directions: readonly MetricGoal[];
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly seed: number;
  private readonly _trials: MutableTrial[] = [];
  private readonly _priors: FrozenTrial[] = [];

  constructor(opts: StudyOptions) {
    if (opts.directions.length === 0) throw new Error('a study needs at least one direction');
    this.space = opts.space;
    this.directions = [...opts.directions];
    this.sampler = opts.sampler;
    this.pruner = opts.pruner ?? new NopPruner();
    this.seed = opts.seed ?? 0;
  }

  /** Snapshots of every trial, in number order. */
  get trials(): FrozenTrial[] {
    return this._trials.map(freeze);
  }

  /** Warm-start trials from earlier sweeps, as the sampler sees them. */
  get priors(): FrozenTrial[] {
    return this._priors.map((t) => freeze(t as MutableTrial));
  }

  /**
   * Seeds the sampler with finished trials of earlier sweeps (warm start). They never count
   * toward this study's trials, best trial or budget; only samplers that learn from history
   * (TPE) use them. Params outside this study's space and trials without one finite value per
   * objective are dropped; returns how many were kept.
   */
  addPriors(trials: readonly { params: Params; values: readonly number[] }[]): number {
    let kept = 0;
    for (const t of trials) {
      if (t.values.length !== this.directions.length || !t.values.every(Number.isFinite)) continue;
      const params = paramsWithinSpace(this.space, t.params);
      if (!params) continue;
      this._priors.push({
        number: -(this._priors.length + 1),
        params,
        state: 'completed',
        values: [...t.values],
        intermediate: {},
      });
      kept++;
    }
    return kept;
  }

  /** How many trials were asked for, without snapshotting them all (workflows poll this). */
  get size(): number {
    return this._trials.length;
  }

  /** A snapshot of one trial, or undefined when it was never asked for. */
  trial(number: number): FrozenTrial | undefined {
    const t = this._trials[number];
    return t && freeze(t);
  }

  /** Starts the next trial: its number and the sampler's params for it. */
  ask(): { number: number; params: Params } {
    const number = this._trials.length;
    const snapshot = () => this.trials;
    const params = this.sampler.sample({
      space: this.space,
      // Copied only for samplers that read history: random and grid ask in O(1) at any size.
      get trials() {
        return snapshot();
      },
      number,
      directions: this.directions,
      seed: this.seed,
      priors: this._priors,
    });
    return this.askWith(params);
  }

  /** Starts the next trial with params decided elsewhere (population-based training). */
  askWith(params: Params): { number: number; params: Params } {
    const number = this._trials.length;
    this._trials.push({
      number,
      params: { ...params },
      state: 'running',
      values: null,
      intermediate: {},
    });
    return { number, params: { ...params } };
  }

  private running(number: number): MutableTrial {
    const t = this._trials[number];
    if (!t) throw new Error(`trial ${number} was never asked for`);
    if (t.state !== 'running') throw new Error(`trial ${number} already finished (${t.state})`);
    return t;
  }

  /** The intermediate value of the first objective at `step` (an epoch); a repeated step overwrites. */
  report(number: number, step: number, value: number): void {
    if (!Number.isFinite(step)) throw new Error(`step must be a finite number, got ${step}`);
    this.running(number).intermediate[step] = value;
  }

  /** Whether the pruner stops the trial after its last report (false before any report). */
  shouldPrune(number: number): boolean {
    const t = this.running(number);
    const steps = Object.keys(t.intermediate).map(Number);
    if (steps.length === 0) return false;
    return this.pruner.shouldPrune(freeze(t), Math.max(...steps), this.trials, this.directions[0]!);
  }

  /**
   * Finishes a trial. 'completed' needs one value per direction; 'pruned' may omit values (its
   * last intermediate value stands in for samplers); 'failed' carries none.
   */
  tell(
    number: number,
    result: {
      state: Exclude<TrialState, 'running'>;
      values?: readonly number[] | null;
      /** How far a completed trial is off the outcome constraints (see constraintViolation). */
      violation?: number;
    },
  ): void {
    const t = this.running(number);
    const values = result.values ?? null;
    if (
      result.state === 'completed' &&
      (values === null || values.length !== this.directions.length)
    ) {
      throw new Error(
        `trial ${number}: a completed trial needs ${this.directions.length} value(s), got ${values === null ? 'none' : values.length}`,
      );
    }
    if (result.state === 'failed' && values !== null && values.length > 0) {
      throw new Error(`trial ${number}: a failed trial carries no values`);
    }
    t.state = result.state;
    t.values = values && values.length > 0 ? [...values] : null;
    if (result.state === 'completed' && result.violation) t.violation = result.violation;
  }

  /** Runs a failed trial again under its own number (a sweep's retryFailed). */
  retry(number: number): void {
    const t = this._trials[number];
    if (!t) throw new Error(`trial ${number} was never asked for`);
    if (t.state !== 'failed')
      throw new Error(`trial ${number} is ${t.state}; only failed trials are retried`);
    t.state = 'running';
    t.values = null;
    t.intermediate = {};
    delete t.violation;
  }

  /** The best completed trial of a single-objective study (ties: the earliest), or null. */
  get bestTrial(): FrozenTrial | null {
    if (this.directions.length > 1) {
      throw new Error('a multi-objective study has no single best trial: use bestTrials');
    }
    const goal = this.directions[0]!;
    let best: MutableTrial | null = null;
    for (const t of this._trials) {
      const v = t.values?.[0];
      if (t.state !== 'completed' || v === undefined || isInfeasible(t)) continue;
      if (isBetter(v, best?.values?.[0], goal)) best = t;
    }
    return best ? freeze(best) : null;
  }

  /** The Pareto front of the completed trials (for one objective: every trial tied at the best). */
  get bestTrials(): FrozenTrial[] {
    const all = this._trials.map(freeze).filter((t) => !isInfeasible(t));
    if (this.directions.length > 1) return paretoFront(all, this.directions);
    const best = this.bestTrial;
    if (!best) return [];
    return all.filter((t) => t.state === 'completed' && t.values?.[0] === best.values![0]);
  }

  /** Plain JSON (non-finite numbers as strings) that `Study.fromJSON` turns back into this study. */
  toJSON(): StudyJSON {
    return {
      version: 1,
      space: this.space,
      directions: [...this.directions],
      seed: this.seed,
      sampler: configOf<SamplerConfig>(this.sampler),
      pruner: configOf<PrunerConfig>(this.pruner),
      trials: this._trials.map((t) => ({
        number: t.number,
        params: { ...t.params },
        state: t.state,
        values: t.values ? t.values.map(encodeNumber) : null,
        intermediate: Object.keys(t.intermediate)
          .map(Number)
          .sort((a, b) => a - b)
          .map((s) => [s, encodeNumber(t.intermediate[s]!)] as [number, number | 'NaN']),
        ...(t.violation ? { violation: encodeNumber(t.violation) } : {}),
      })),
      ...(this._priors.length > 0
        ? {
            priors: this._priors.map((t) => ({
              number: t.number,
              params: { ...t.params },
              state: t.state,
              values: t.values!.map(encodeNumber),
              intermediate: [],
            })),
          }
        : {}),
    };
  }

  /**
   * Rebuilds a study from `toJSON()` output. Built-in samplers and pruners are recreated from
   * their config; pass `sampler`/`pruner` for custom ones (or to override).
   */
  static fromJSON(json: unknown, plugins: { sampler?: Sampler; pruner?: Pruner } = {}): Study {
    const data = studyJsonSchema.parse(json);
    const sampler =
      plugins.sampler ?? (data.sampler.type === 'custom' ? undefined : createSampler(data.sampler));
    if (!sampler) throw new Error('this study uses a custom sampler: pass it to Study.fromJSON');
    let pruner: ConfigurablePruner | Pruner | undefined = plugins.pruner;
    if (!pruner) {
      if (data.pruner.type === 'custom') {
        throw new Error('this study uses a custom pruner: pass it to Study.fromJSON');
      }
      pruner = createPruner(data.pruner);
    }
    const study = new Study({
      space: data.space,
      directions: data.directions,
      seed: data.seed,
      sampler,
      pruner,
    });
    for (const p of data.priors) {
      study._priors.push({ ...p, values: p.values, intermediate: {} });
    }
    data.trials.forEach((t, i) => {
      if (t.number !== i) throw new Error(`study JSON: trial ${i} has number ${t.number}`);
      study._trials.push({
        number: t.number,
        params: { ...t.params },
        state: t.state,
        values: t.values ? [...t.values] : null,
        intermediate: Object.fromEntries(t.intermediate),
        ...(t.violation ? { violation: t.violation } : {}),
      });
    });
    return study;
  }
}
