import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { TASK_QUEUES } from '@retune/core';
import { createDb, createRepositories } from '@retune/db';
import { listGpus } from '@retune/activities';
import { parseWorkerArgs, UsageError } from './args';
import { loadEnv, repoRoot } from './env';
import { resolveTrainerUser } from './trainer-user';
import { gpuBuildHint, gpuBuildInstalled, resolveSlots } from './gpu-host';
import { createRetuneWorkers } from './workers';
import { startSamplerWorker } from './sampler-worker';

async function main(): Promise<void> {
  const parsed = parseWorkerArgs(process.argv.slice(2));
  const args = { ...parsed, slots: await resolveSlots(parsed) };
  const env = loadEnv();
  const hint = gpuBuildHint(await listGpus(), gpuBuildInstalled(repoRoot));
  if (hint) console.warn(`retune worker: ${hint}`);
  Runtime.install({ logger: new DefaultLogger(env.RETUNE_LOG_LEVEL) });
  const db = createDb(env.DATABASE_URL);
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  const clientConnection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
  const client = new Client({ connection: clientConnection, namespace: env.TEMPORAL_NAMESPACE });
  const workers = await createRetuneWorkers({
    connection,
    client,
    namespace: env.TEMPORAL_NAMESPACE,
    repos: createRepositories(db),
    slots: args.slots,
    queues: args.queues,
    workDir: env.RETUNE_WORK_DIR,
    workerId: env.RETUNE_WORKER_ID,
    repoRoot,
    trainerEnv: env.inherited,
    allowedHosts: env.RETUNE_ALLOWED_HOSTS,
    trainerReuse: {
      maxTrials: env.RETUNE_TRAINER_REUSE_TRIALS,
      ...(env.RETUNE_TRAINER_MAX_RSS_MB ? { maxRssMb: env.RETUNE_TRAINER_MAX_RSS_MB } : {}),
    },
    ...(env.RETUNE_TRAINER_USER
      ? { trainerUser: resolveTrainerUser(env.RETUNE_TRAINER_USER) }
      : {}),
  });
  const slots =
    args.slots.kind === 'gpu'
      ? `GPUs ${args.slots.gpus.join(',')}`
      : `${args.slots.slots} CPU slot(s)`;
  const queues = [
    args.queues.control && TASK_QUEUES.control,
    args.queues.gpu && TASK_QUEUES.gpu,
  ].filter(Boolean);
  console.log(
    `retune worker ${env.RETUNE_WORKER_ID}: polling ${queues.join(' + ')} on ${env.TEMPORAL_ADDRESS} with ${slots}`,
  );
  // gp/cmaes sweeps ask it for params; it sets up its venv on first start (about a minute).
  const sampler =
    args.queues.control && env.RETUNE_SAMPLER_WORKER === 'auto'
      ? startSamplerWorker({
          repoRoot,
          address: env.TEMPORAL_ADDRESS,
          namespace: env.TEMPORAL_NAMESPACE,
          env: env.inherited,
          log: (line) => console.log(`[sampler] ${line}`),
        })
      : null;
  sampler?.ready.catch((err: Error) =>
    console.warn(
      `retune worker: ${err.message}; gp and cmaes sweeps will fail until it runs (samplers/optuna/run.sh, docs/samplers.md)`,
    ),
  );
  // Worker.run installs SIGINT/SIGTERM handlers that shut the workers down gracefully.
  try {
    await Promise.all(workers.map((w) => w.run()));
  } finally {
    await sampler?.stop();
    await connection.close();
    await clientConnection.close();
    await db.$disconnect();
  }
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
