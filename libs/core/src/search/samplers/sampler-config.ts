import { z } from 'zod';
import type { Sampler } from '../types';
import { OPTUNA_ALGORITHMS } from '../../spec/optuna-samplers';

/** TPE's settings (shared by BOHB, which runs TPE per budget level). */
const tpeFields = {
  /** Trials sampled at random before TPE takes over (completed + pruned ones count). */
  nStartupTrials: z.number().int().min(0).max(10_000).default(10),
  /** Candidates drawn from l(x) per parameter; the one maximising l(x)/g(x) wins. */
  nEiCandidates: z.number().int().min(1).max(10_000).default(24),
  priorWeight: z.number().positive().default(1),
  considerMagicClip: z.boolean().default(true),
  /**
   * Optuna's constant liar: trials still running count as bad ones, so parallel asks spread
   * out instead of all proposing the same promising point.
   */
  constantLiar: z.boolean().default(false),
  /**
   * Optuna 5's TPE: single-objective studies sample their unconditional params jointly from
   * product kernels (multivariate TPE), everything else one param at a time with Optuna 5's
   * estimator. false: the independent Optuna ≤ 3 sampler that sweeps recorded before this
   * option keep (their stored config lacks it), so their replay proposes the same params.
   */
  multivariate: z.boolean().default(false),
  /**
   * In a space of choices and ints, never propose params a trial already has (completed, pruned
   * or running): with the sweep's seed a trainer gives the same result again. false: what
   * sweeps recorded before this option keep (their stored config lacks it).
   */
  skipTried: z.boolean().default(false),
};

export const samplerConfigSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('grid') }).strict(),
  z.object({ type: z.literal('random') }).strict(),
  z.object({ type: z.literal('tpe'), ...tpeFields }).strict(),
  z
    .object({
      type: z.literal('bohb'),
      ...tpeFields,
      /** Hyperband's ladder: rungs at minResource·η^k below maxResource, then maxResource. */
      minResource: z.number().int().min(1).default(1),
      maxResource: z.number().int().min(1),
      reductionFactor: z.number().int().min(2).default(3),
    })
    .strict(),
  /** Optuna's GP or CMA-ES, asked through the sampler worker (optuna-sampler.ts). */
  z
    .object({
      type: z.literal('optuna'),
      algorithm: z.enum(OPTUNA_ALGORITHMS),
      options: z.record(z.string(), z.unknown()).default({}),
      /** The spec has outcome constraints: completed trials carry their violation. */
      constrained: z.boolean().default(false),
      /** Optuna system attrs by trial number: what CmaEsSampler keeps between asks. */
      attrs: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    })
    .strict(),
]);
export type SamplerConfig = z.output<typeof samplerConfigSchema>;
export type SamplerConfigInput = z.input<typeof samplerConfigSchema>;

/** A sampler that can describe itself, so a Study can be serialised and rebuilt. */
export interface ConfigurableSampler extends Sampler {
  toJSON(): SamplerConfig;
}
