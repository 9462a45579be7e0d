import {
  createCaller,
  createLazyTemporalSweepGateway,
  type SweepGateway,
  type TRPCContext,
} from '@retune/api';
import { createDb, createRepositories, type Repositories } from '@retune/db';
import { env } from '../env';

interface Services {
  repos: Repositories;
  temporal: SweepGateway;
}

// One DB client and one (lazy) Temporal connection per server process, kept across hot reloads.
const globalForServices = globalThis as unknown as { retuneServices?: Services };

function services(): Services {
  if (!globalForServices.retuneServices) {
    const e = env();
    globalForServices.retuneServices = {
      repos: createRepositories(createDb(e.DATABASE_URL)),
      // Connects on first start/cancel/signal; pages render even while Temporal is down.
      temporal: createLazyTemporalSweepGateway({
        address: e.TEMPORAL_ADDRESS,
        namespace: e.TEMPORAL_NAMESPACE,
      }),
    };
  }
  return globalForServices.retuneServices;
}

/**
 * Request context. Real sign-in arrives with issue #5; until then the dashboard acts as the
 * local operator, as the embedded single-machine setup implies.
 */
export function createContext(): TRPCContext {
  return { ...services(), user: { id: 'local' } };
}

export const serverCaller = () => createCaller(createContext());
