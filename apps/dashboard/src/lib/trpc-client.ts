import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from '@retune/api';

/** The browser's tRPC client (same-origin; the session cookie rides along). */
export const trpc = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: '/api/trpc' })],
});
