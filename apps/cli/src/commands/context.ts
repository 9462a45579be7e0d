import {
  createLazyTemporalSweepGateway,
  type DomainDeps,
  type LazySweepGateway,
} from '@retune/api';
import { createDb, createRepositories, type Db } from '@retune/db';
import type { CliEnv } from '../env';

/**
 * DB always; Temporal only once a command actually starts or signals a workflow, so lookups
 * and validation (unknown id, finished sweep, bad spec) answer even when Temporal is down.
 */
export interface CliContext {
  db: Db;
  repos: DomainDeps['repos'];
  temporal: LazySweepGateway;
  deps: DomainDeps;
  close(): Promise<void>;
}

export function createCliContext(env: CliEnv): CliContext {
  const db = createDb(env.DATABASE_URL);
  const repos = createRepositories(db);
  const temporal = createLazyTemporalSweepGateway({
    address: env.TEMPORAL_ADDRESS,
    namespace: env.TEMPORAL_NAMESPACE,
  });
  return {
    db,
    repos,
    temporal,
    deps: { repos, temporal },
    async close() {
      await temporal.close();
      await db.$disconnect();
    },
  };
}
