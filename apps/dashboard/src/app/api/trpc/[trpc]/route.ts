import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '@retune/api';
import { limitBody } from '../../../../server/body-limit';
import { createContext } from '../../../../server/context';

export const dynamic = 'force-dynamic';

async function handler(req: Request): Promise<Response> {
  const limited = await limitBody(req);
  if (limited instanceof Response) return limited;
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: limited,
    router: appRouter,
    createContext,
  });
}

export { handler as GET, handler as POST };
