import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const envSchema = z.object({
  DATABASE_URL: z.string().min(1).default(`file:${repoRoot}.data/retune.db`),
  TEMPORAL_ADDRESS: z.string().min(1).default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  RETUNE_WORK_DIR: z.string().min(1).default(`${repoRoot}.data/work`),
  RETUNE_WORKER_ID: z.string().min(1).default(`${hostname()}-${process.pid}`),
  RETUNE_LOG_LEVEL: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).default('WARN'),
  /** auto: a worker polling the control queue also runs the Python sampler worker (gp/cmaes). */
  RETUNE_SAMPLER_WORKER: z.enum(['auto', 'off']).default('auto'),
  /** Run trainer processes as this unprivileged user (a name or uid:gid; docs/security.md). */
  RETUNE_TRAINER_USER: z.string().min(1).optional(),
  /** Trials a reusable trainer's process takes before it is replaced; 0 = a process per trial. */
  RETUNE_TRAINER_REUSE_TRIALS: z.coerce.number().int().min(0).default(50),
  /** Replace a reusable trainer's process once its RSS exceeds this (MiB; unset = no limit). */
  RETUNE_TRAINER_MAX_RSS_MB: z.coerce.number().int().min(1).optional(),
  /** Hosts (comma-separated) webhooks may reach over http or at private addresses. */
  RETUNE_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    ),
});

export type WorkerEnv = z.infer<typeof envSchema> & {
  /** Passed on to trainer processes (PATH, CUDA and Python settings…). */
  inherited: Record<string, string | undefined>;
};

/** The only place the worker reads process.env. */
export function loadEnv(source: Record<string, string | undefined> = process.env): WorkerEnv {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid worker environment:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, inherited: { ...source } };
}
