import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const envSchema = z
  .object({
    DATABASE_URL: z.string().min(1).default(`file:${repoRoot}.data/retune.db`),
    TEMPORAL_ADDRESS: z.string().min(1).default('localhost:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    /** A Retune dashboard to send sweep commands to instead of this machine's DB and Temporal. */
    RETUNE_API_URL: z
      .url({ message: 'RETUNE_API_URL must be a URL such as http://host:3000' })
      .optional(),
    /** An API token (`retune token create`) for RETUNE_API_URL. */
    RETUNE_API_TOKEN: z.string().min(1).optional(),
  })
  .refine((e) => !e.RETUNE_API_URL || e.RETUNE_API_TOKEN, {
    path: ['RETUNE_API_TOKEN'],
    message: 'RETUNE_API_URL needs RETUNE_API_TOKEN too (create one with `retune token create`)',
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
