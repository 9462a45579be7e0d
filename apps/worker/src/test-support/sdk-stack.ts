/**
 * The stack the Python SDK's integration tests (sdk/python/tests/test_stack.py) drive: a
 * Temporal dev server, the control worker, two GPU worker processes (apps/worker/src/main.ts, so
 * a test can kill one), SQLite, and the tRPC router over HTTP at /api/trpc with API-token auth,
 * as the dashboard's route handler serves it (without Next.js, whose build is too heavy for a
 * test). Prints `RETUNE_SDK_STACK {url, token, revokedToken, workDir, gpuWorkers: {id: pid}}` on
 * stdout, then runs until its stdin closes (the test ended or died) or SIGTERM.
 *
 *   RETUNE_TEMPORAL_BIN=$(npx tsx tools/ensure-temporal.ts --quiet) npx tsx <this file>
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import {
  appRouter,
  authenticate,
  bearerToken,
  createApiToken,
  createTemporalSweepGateway,
  createUser,
  revokeApiToken,
  type TRPCContext,
} from '@retune/api';
import { startTestStack } from './test-stack';

type Services = Pick<TRPCContext, 'repos' | 'temporal'>;

async function context(services: Services, req: Request): Promise<TRPCContext> {
  const auth = await authenticate(services, {
    bearer: bearerToken(req.headers.get('authorization')),
  });
  return { ...services, user: auth && { ...auth.user } };
}

/** node:http → the fetch adapter the dashboard uses. */
function serve(services: Services) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method!,
      headers: req.headers as Record<string, string>,
      ...(body && req.method !== 'GET' ? { body } : {}),
    });
    const response = await fetchRequestHandler({
      endpoint: '/api/trpc',
      req: request,
      router: appRouter,
      createContext: () => context(services, request),
    });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  };
}

const GPU_WORKERS = ['sdk-gpu-a', 'sdk-gpu-b'];

async function main(): Promise<void> {
  const temporalBin = process.env['RETUNE_TEMPORAL_BIN'];
  if (!temporalBin) throw new Error('set RETUNE_TEMPORAL_BIN (npx tsx tools/ensure-temporal.ts)');
  const stack = await startTestStack({
    temporalBin,
    dirPrefix: 'retune-sdk-stack-',
    workerId: 'sdk-control',
    slots: 1,
    queues: { control: true, gpu: false },
  });
  const { repos, workDir } = stack;
  const services = { repos, temporal: createTemporalSweepGateway(stack.env.client) };
  const gpus = GPU_WORKERS.map((id) =>
    stack.spawnGpuWorker(id, { slots: 2, stdio: ['ignore', 'ignore', 'inherit'] }),
  );
  // Whatever ends this process, no GPU worker outlives it.
  process.on('exit', () => gpus.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));

  // An admin: the SDK tests launch their own Python scripts as raw trainer commands, which
  // members may not (they would name a trainer an admin registered).
  const user = await createUser(
    { repos },
    { email: 'sdk@test.dev', password: 'sdk-password-1', role: 'admin' },
  );
  const { token } = await createApiToken({ repos }, { userId: user.id, name: 'sdk' });
  const revoked = await createApiToken({ repos }, { userId: user.id, name: 'revoked' });
  await revokeApiToken({ repos }, 'local-operator', revoked.apiToken.id);

  const server = createServer((req, res) => {
    serve(services)(req, res).catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // A marker: the Temporal CLI prints its banner on this stdout too.
  console.log(
    'RETUNE_SDK_STACK',
    JSON.stringify({
      url: `http://127.0.0.1:${port}`,
      token,
      revokedToken: revoked.token,
      workDir,
      gpuWorkers: Object.fromEntries(GPU_WORKERS.map((id, i) => [id, gpus[i]!.pid])),
    }),
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.close();
    const step = (what: string, p: () => Promise<unknown>) =>
      p().catch((err: unknown) => console.error(`sdk-stack: ${what} failed:`, err));
    await step('GPU workers', () =>
      Promise.all(
        gpus.map(
          (c) =>
            new Promise((done) => {
              if (c.exitCode !== null || c.signalCode !== null) return done(null);
              c.once('exit', done);
              c.kill('SIGTERM');
            }),
        ),
      ),
    );
    // Last but never skipped: stop() tears the Temporal dev server down whatever failed before.
    await step('stack shutdown', () => stack.stop());
    process.exit(0);
  };
  process.stdin.on('end', () => void stop());
  process.stdin.resume();
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
