import type { Repositories } from '@retune/db';
import type { SweepGateway } from '../temporal/sweep-gateway';
import type { AccessPolicy } from './access/access-policy';

export interface DomainDeps {
  repos: Repositories;
  temporal: SweepGateway;
  /** Data roots and URL rules for API users; absent: this process's (policyOf). */
  policy?: AccessPolicy;
}
