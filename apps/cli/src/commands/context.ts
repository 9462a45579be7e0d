import type { Client } from '@temporalio/client';
import { connectTemporal, createTemporalSweepGateway, type DomainDeps } from '@retune/api';
import { createDb, createRepositories, type Db } from '@retune/db';
import type { CliEnv } from '../env';

/** DB always; Temporal only for commands that start or signal workflows. */
export interface CliContext {
  db: Db;
  deps(): Promise<DomainDeps>;
  repos: DomainDeps['repos'];
  close(): Promise<void>;
}

export function createCliContext(env: CliEnv): CliContext {
  const db = createDb(env.DATABASE_URL);
  const repos = createRepositories(db);
  let client: Client | undefined;
  return {
    db,
    repos,
    async deps() {
      client ??= await connectTemporal({
        address: env.TEMPORAL_ADDRESS,
        namespace: env.TEMPORAL_NAMESPACE,
      });
      return { repos, temporal: createTemporalSweepGateway(client) };
    },
    async close() {
      await client?.connection.close();
      await db.$disconnect();
    },
  };
}
