import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { describe, expect, it } from 'vitest';
import { appRouter } from './root';
import { useTestApi } from './test-support/context';

const api = useTestApi();

const local = { id: 'local', email: 'local@test', role: 'admin' as const };

const post = (path: string, body: unknown, user: typeof local | null = local) =>
  fetchRequestHandler({
    endpoint: '/api/trpc',
    req: new Request(`http://localhost/api/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
    router: appRouter,
    createContext: () => ({
      repos: api.repos,
      temporal: api.temporal,
      user,
    }),
  });

describe('the HTTP edge', () => {
  it('answers anonymous requests with 401, even invalid ones, and stores nothing', async () => {
    const res = await post('sweep.launch', { spec: { name: 'x' } }, null);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { data: { code: string } } }).error.data.code).toBe(
      'UNAUTHORIZED',
    );
    expect(await api.repos.sweeps.list({})).toEqual([]);
  });

  it('answers an invalid spec with 400 and the field issues in error.data', async () => {
    const res = await post('sweep.launch', {
      spec: { name: 'x', dataset: 'd', baseModel: 'b', algorithm: 'bayes', searchSpace: {} },
    });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as {
      error: { data: { code: string; issues: { path: string; message: string }[] } };
    };
    expect(error.data.code).toBe('BAD_REQUEST');
    expect(error.data.issues.map((i) => i.path).sort()).toEqual(['algorithm', 'searchSpace']);
    expect(await api.repos.sweeps.list({})).toEqual([]);
  });

  it('maps a missing sweep to 404 and a finished one to 409', async () => {
    expect((await post('sweep.cancel', { id: 'sw_missing' })).status).toBe(404);
    const sweep = await api.caller().sweep.launch({
      spec: {
        name: 'done',
        dataset: 'demo:mnist-5-9',
        baseModel: 'demo:scratch',
        algorithm: 'grid',
        searchSpace: { headLr: { type: 'choice', values: [0.1] } },
      },
    });
    await api.repos.sweeps.finish(sweep.id, {
      status: 'completed',
      bestTrialId: null,
      bestValue: null,
    });
    expect((await post('sweep.cancel', { id: sweep.id })).status).toBe(409);
  });
});
