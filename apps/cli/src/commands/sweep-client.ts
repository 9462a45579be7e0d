import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import {
  cancelSweep,
  controlSweep,
  getPbtFamily,
  getSweep,
  launchSweep,
  listSweeps,
  type AppRouter,
  type PbtFamilyView,
  type SweepAction,
} from '@retune/api';
import type { SweepDetail, SweepSummary } from '@retune/core';
import { CliError } from '../errors';
import type { CliContext } from './context';
import { audited } from './local-audit';

/**
 * What the sweep commands need, from the local database and Temporal (the default: the CLI holds
 * the same credentials as the server) or from a Retune API elsewhere with an API token.
 */
export interface SweepClient {
  launch(spec: unknown): Promise<SweepSummary>;
  list(): Promise<SweepSummary[]>;
  get(id: string): Promise<SweepDetail>;
  cancel(id: string): Promise<void>;
  control(id: string, request: SweepAction): Promise<void>;
  /** A pbt sweep's family tree (empty for other algorithms). */
  pbtFamily(id: string): Promise<PbtFamilyView>;
}

export function localSweepClient(ctx: CliContext): SweepClient {
  return {
    async launch(spec) {
      await ctx.temporal.connect(); // an unreachable Temporal stores nothing
      return audited(
        ctx.repos,
        'sweep.launch',
        (s) => s.id,
        () => launchSweep(ctx.deps, spec),
      );
    },
    list: () => listSweeps(ctx, { limit: 50 }),
    get: (id) => getSweep(ctx, id),
    pbtFamily: (id) => getPbtFamily(ctx, id),
    cancel: async (id) => {
      await audited(ctx.repos, 'sweep.cancel', id, () => cancelSweep(ctx.deps, id));
    },
    control: async (id, request) => {
      await audited(ctx.repos, `sweep.${request.action}`, id, () =>
        controlSweep(ctx.deps, id, request),
      );
    },
  };
}

/** Turns the API's errors into CLI errors that say what to do. */
async function remote<T>(url: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    // No tRPC error shape means the request never got an answer from the API.
    if (!(err instanceof TRPCClientError) || err.shape === undefined) {
      throw new CliError(`cannot reach the Retune API at ${url}: ${(err as Error).message}`, 1);
    }
    const code = (err.data as { code?: string } | undefined)?.code;
    if (code === 'UNAUTHORIZED') {
      throw new CliError(
        `the API at ${url} refused RETUNE_API_TOKEN (wrong or revoked): create one with \`retune token create\``,
        1,
      );
    }
    const exit = code === 'BAD_REQUEST' || code === 'NOT_FOUND' ? 2 : 1;
    throw new CliError(err.message, exit);
  }
}

/** The API of a dashboard at `baseUrl` (e.g. https://retune.example.com), as the token's user. */
export function remoteSweepClient(
  baseUrl: string,
  token: string,
  fetchImpl?: typeof fetch,
): SweepClient {
  const url = `${baseUrl.replace(/\/+$/, '')}/api/trpc`;
  const api = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(fetchImpl ? { fetch: fetchImpl } : {}),
      }),
    ],
  });
  return {
    launch: (spec) => remote(url, () => api.sweep.launch.mutate({ spec })),
    list: () => remote(url, () => api.sweep.list.query({ limit: 50 })),
    // `spec: unknown` is optional in the wire type; the API always sends it.
    get: (id) => remote(url, async () => ({ spec: null, ...(await api.sweep.get.query({ id })) })),
    pbtFamily: (id) => remote(url, () => api.sweep.pbtFamily.query({ id })),
    cancel: async (id) => {
      await remote(url, () => api.sweep.cancel.mutate({ id }));
    },
    control: async (id, request) => {
      await remote(url, () => api.sweep.control.mutate({ id, request }));
    },
  };
}
