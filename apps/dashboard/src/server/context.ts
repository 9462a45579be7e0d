import {
  connectTemporal,
  createCaller,
  createTemporalSweepGateway,
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
    const repos = createRepositories(createDb(e.DATABASE_URL));
    let gateway: Promise<SweepGateway> | undefined;
    const lazy = () =>
      (gateway ??= connectTemporal({
        address: e.TEMPORAL_ADDRESS,
        namespace: e.TEMPORAL_NAMESPACE,
      }).then(createTemporalSweepGateway, (err: unknown) => {
        gateway = undefined;
        throw err;
      }));
    const temporal: SweepGateway = {
      start: async (input) => (await lazy()).start(input),
      cancel: async (id) => (await lazy()).cancel(id),
      signal: async (id, signal, ...args) => (await lazy()).signal(id, signal, ...args),
    };
    globalForServices.retuneServices = { repos, temporal };
  }
  return globalForServices.retuneServices;
}

/**
 * Request context. Sign-in arrives with the auth issue; until then the dashboard acts as the
 * local operator, as the embedded single-machine setup implies.
 */
export function createContext(): TRPCContext {
  return { ...services(), user: { id: 'local' } };
}

export const serverCaller = () => createCaller(createContext());
