import type { Repositories } from '@retune/db';
import type { SweepGateway } from '../temporal/sweep-gateway';

export interface DomainDeps {
  repos: Repositories;
  temporal: SweepGateway;
}
