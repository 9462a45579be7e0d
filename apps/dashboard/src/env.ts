import { resolve } from 'node:path';
import { z } from 'zod';
import { accessPolicyFromEnv, type AccessPolicy } from '@retune/api';

// Next runs the server with apps/dashboard as cwd (bundled code has no stable import.meta.url).
const repoRoot = resolve(process.cwd(), '../..') + '/';

const envSchema = z.object({
  DATABASE_URL: z.string().min(1).default(`file:${repoRoot}.data/retune.db`),
  TEMPORAL_ADDRESS: z.string().min(1).default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_UI_URL: z.string().url().default('http://localhost:8233'),
});

export type DashboardEnv = z.infer<typeof envSchema>;

let cached: DashboardEnv | undefined;

/** The only place the dashboard reads process.env (server side). */
export function env(): DashboardEnv {
  if (!cached) {
    const parsed = envSchema.safeParse(process.env);
    if (!parsed.success) {
      throw new Error(
        `invalid dashboard environment:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
      );
    }
    cached = parsed.data;
  }
  return cached;
}

/** Data roots and URL allowlist (RETUNE_DATA_ROOTS, RETUNE_ALLOWED_HOSTS; docs/security.md). */
export const accessPolicy = (): AccessPolicy => accessPolicyFromEnv(process.env, repoRoot);
