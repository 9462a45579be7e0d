import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import {
  authenticate,
  createCaller,
  createLazyTemporalScheduleGateway,
  createLazyTemporalSweepGateway,
  sessionUserOf,
  type ScheduleGateway,
  type SessionUser,
  type TRPCContext,
} from '@retune/api';
import { createDb, createRepositories } from '@retune/db';
import { accessPolicy, env } from '../env';
import { createRequestContext, type Services } from './request-context';
import { SESSION_COOKIE } from './session-cookie';

// One DB client and one (lazy) Temporal connection per server process, kept across hot reloads.
const globalForServices = globalThis as unknown as {
  retuneServices?: Services & { schedules?: ScheduleGateway };
};

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
      policy: accessPolicy(),
    };
  }
  // Retrain schedules (Temporal Schedules), lazy like the sweep gateway.
  const cfg = env();
  globalForServices.retuneServices.schedules ??= createLazyTemporalScheduleGateway({
    address: cfg.TEMPORAL_ADDRESS,
    namespace: cfg.TEMPORAL_NAMESPACE,
  });
  return globalForServices.retuneServices;
}

/** The /api/trpc route's context: every request authenticates itself (cookie or bearer token). */
export function createContext(opts: { req: Request; resHeaders: Headers }): Promise<TRPCContext> {
  return createRequestContext(services(), opts.req, opts.resHeaders);
}

/** The signed-in user of the page being rendered, or null (once per request). */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const auth = token ? await authenticate(services(), { sessionToken: token }) : null;
  return auth && sessionUserOf(auth);
});

/**
 * The tRPC caller for server components, acting as the signed-in user. Without a valid session
 * the first call redirects to /sign-in (the proxy only checks that a cookie is present).
 */
export const serverCaller = () =>
  createCaller(async () => {
    const user = await currentUser();
    if (!user) redirect('/sign-in');
    return { ...services(), user };
  });
