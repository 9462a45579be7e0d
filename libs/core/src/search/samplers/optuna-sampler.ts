import type { Params, SearchSpace } from '../../spec/search-space';
import type { MetricGoal } from '../../spec/sweep-spec';
import type { FrozenTrial, SampleContext } from '../types';
import type { ConfigurableSampler, SamplerConfig } from './sampler-config';

type OptunaConfig = Extract<SamplerConfig, { type: 'optuna' }>;

/** What the sampler worker's `suggestParams` activity gets (samplers/optuna/retune_sampler). */
export interface SuggestRequest {
  algorithm: OptunaConfig['algorithm'];
  options: Record<string, unknown>;
  space: SearchSpace;
  directions: MetricGoal[];
  seed: number;
  /** The trial being proposed. */
  number: number;
  constrained: boolean;
  trials: {
    number: number;
    params: Params;
    state: FrozenTrial['state'];
    values: number[] | null;
    /** [step, value], ascending. */
    intermediate: [number, number][];
    violation?: number;
    attrs?: Record<string, unknown>;
  }[];
}

export interface SuggestResponse {
  params: Params;
  /** Optuna system attrs of the new trial, sent back with it in later requests. */
  attrs: Record<string, unknown>;
  /** Attr-name prefixes of which only the newest copy is read (CMA-ES's pickled optimizer). */
  supersedes: string[];
}

/** The sampler worker's activity, as the sweep workflow proxies it on TASK_QUEUES.sampler. */
export interface SamplerActivities {
  suggestParams(request: SuggestRequest): Promise<SuggestResponse>;
}

/** A finished trial's non-finite values stay out of JSON requests (Optuna refuses NaN too). */
const finite = (values: readonly number[] | null) =>
  values && values.every(Number.isFinite) ? [...values] : null;

/**
 * Optuna's GPSampler or CmaEsSampler. It cannot run here: the workflow asks the sampler worker
 * (an activity, so replay reads the answer from history) and hands the answer over with
 * `accept` before the study asks for that trial. What Optuna keeps between asks travels in the
 * config (`attrs`), so a continued-as-new study sends the same history.
 */
export class OptunaSampler implements ConfigurableSampler {
  private readonly proposals = new Map<number, Params>();
  private readonly attrs: Record<string, Record<string, unknown>>;

  constructor(private readonly config: OptunaConfig) {
    this.attrs = JSON.parse(JSON.stringify(config.attrs)) as OptunaConfig['attrs'];
  }

  /** Whether trial `number`'s params have arrived. */
  has(number: number): boolean {
    return this.proposals.has(number);
  }

  /** The request for trial `number`, from the study's trials so far. */
  request(
    ctx: Pick<SampleContext, 'space' | 'trials' | 'directions' | 'seed' | 'number'>,
  ): SuggestRequest {
    return {
      algorithm: this.config.algorithm,
      options: this.config.options,
      space: ctx.space,
      directions: [...ctx.directions],
      seed: ctx.seed,
      number: ctx.number,
      constrained: this.config.constrained,
      trials: ctx.trials.map((t) => {
        const values = t.state === 'completed' ? finite(t.values) : null;
        const attrs = this.attrs[t.number];
        return {
          number: t.number,
          params: { ...t.params },
          // A completed trial with a non-finite value teaches nothing: Optuna calls it failed.
          state: t.state === 'completed' && !values ? 'failed' : t.state,
          values,
          intermediate: Object.entries(t.intermediate)
            .map(([s, v]) => [Number(s), v] as [number, number])
            .filter(([, v]) => Number.isFinite(v))
            .sort((a, b) => a[0] - b[0]),
          ...(t.violation ? { violation: t.violation } : {}),
          ...(attrs ? { attrs } : {}),
        };
      }),
    };
  }

  /** Takes the worker's answer for trial `number`; drops attrs it says are superseded. */
  accept(number: number, response: SuggestResponse): void {
    this.proposals.set(number, { ...response.params });
    const superseded = (key: string) => response.supersedes.some((p) => key.startsWith(p));
    if (Object.keys(response.attrs).some(superseded)) {
      for (const attrs of Object.values(this.attrs)) {
        for (const key of Object.keys(attrs)) if (superseded(key)) delete attrs[key];
      }
    }
    if (Object.keys(response.attrs).length > 0) this.attrs[number] = { ...response.attrs };
  }

  sample(ctx: SampleContext): Params {
    const params = this.proposals.get(ctx.number);
    if (!params) {
      throw new Error(
        `trial ${ctx.number}: ${this.config.algorithm} params come from the sampler worker; accept() them before asking`,
      );
    }
    this.proposals.delete(ctx.number);
    return params;
  }

  toJSON(): OptunaConfig {
    return {
      ...this.config,
      attrs: JSON.parse(JSON.stringify(this.attrs)) as OptunaConfig['attrs'],
    };
  }
}
