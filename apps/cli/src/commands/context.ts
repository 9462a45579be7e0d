import {
  createLazyTemporalScheduleGateway,
  createLazyTemporalSweepGateway,
  type LazyScheduleGateway,
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
  /** Temporal Schedules of retrain schedules (lazy, like `temporal`). */
  schedules: LazyScheduleGateway;
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
  const schedules = createLazyTemporalScheduleGateway({
    address: env.TEMPORAL_ADDRESS,
    namespace: env.TEMPORAL_NAMESPACE,
  });
  return {
    db,
    repos,
    temporal,
    schedules,
    deps: { repos, temporal },
    async close() {
      await temporal.close();
      await schedules.close();
      await db.$disconnect();
    },
  };
}
