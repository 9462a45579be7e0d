import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const envSchema = z.object({
  DATABASE_URL: z.string().min(1).default(`file:${repoRoot}.data/retune.db`),
  TEMPORAL_ADDRESS: z.string().min(1).default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
});

export type CliEnv = z.infer<typeof envSchema>;

/** The only place the CLI reads process.env. */
export function loadEnv(source: Record<string, string | undefined> = process.env): CliEnv {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new Error(
      `invalid environment:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  return parsed.data;
}
