import { sampleRandomTrial } from '../random';
import type { Params } from '../../spec/search-space';
import type { SampleContext } from '../types';
import type { ConfigurableSampler, SamplerConfig } from './sampler-config';

/** Independent uniform draws (log-uniform for log params); the same stream as `sampleRandomTrial`. */
export class RandomSampler implements ConfigurableSampler {
  sample({ space, seed, number }: SampleContext): Params {
    return sampleRandomTrial(space, seed, number);
  }
  toJSON(): SamplerConfig {
    return { type: 'random' };
  }
}
