import type { Db } from '../client';
import { createBaseModelRepository, type BaseModelRepository } from './base-model-repository';
import { createMetricRepository, type MetricRepository } from './metric-repository';
import { createSweepRepository, type SweepRepository } from './sweep-repository';
import { createTrialRepository, type TrialRepository } from './trial-repository';

export interface Repositories {
  sweeps: SweepRepository;
  trials: TrialRepository;
  metrics: MetricRepository;
  baseModels: BaseModelRepository;
}

export function createRepositories(db: Db): Repositories {
  return {
    sweeps: createSweepRepository(db),
    trials: createTrialRepository(db),
    metrics: createMetricRepository(db),
    baseModels: createBaseModelRepository(db),
  };
}

export type { SweepRepository, SweepFinishInput } from './sweep-repository';
export type { TrialRepository } from './trial-repository';
export type { MetricRepository, MetricPointInput } from './metric-repository';
export { BaseModelExistsError, type BaseModelRepository } from './base-model-repository';
