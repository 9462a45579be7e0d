import { BOHBSampler } from './bohb-sampler';
import { GridSampler } from './grid-sampler';
import { OptunaSampler } from './optuna-sampler';
import { RandomSampler } from './random-sampler';
import {
  samplerConfigSchema,
  type ConfigurableSampler,
  type SamplerConfigInput,
} from './sampler-config';
import { TPESampler } from './tpe-sampler';

/** Builds a built-in sampler from its JSON config. */
export function createSampler(config: SamplerConfigInput): ConfigurableSampler {
  const c = samplerConfigSchema.parse(config);
  switch (c.type) {
    case 'grid':
      return new GridSampler();
    case 'random':
      return new RandomSampler();
    case 'tpe':
      return new TPESampler(c);
    case 'bohb':
      return new BOHBSampler(c);
    case 'optuna':
      return new OptunaSampler(c);
  }
}
