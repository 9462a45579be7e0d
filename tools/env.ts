import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const repoRoot = fileURLToPath(new URL('../', import.meta.url));

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const envSchema = z.object({
  /** Where the embedded stack keeps its state (SQLite files, trial work dirs). */
  RETUNE_DATA_DIR: z.string().min(1).default(`${repoRoot}.data`),
  DATABASE_URL: z.string().min(1).optional(),
  /** Set to use an existing Temporal cluster; unset starts the embedded dev server. */
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  RETUNE_SLOTS: z.coerce.number().int().min(1).max(256).default(2),
  RETUNE_DEMO: bool.default(true),
  RETUNE_DASHBOARD_MODE: z.enum(['dev', 'production']).default('production'),
  /** The admin account `npm start` creates when the database has no users yet. */
  RETUNE_ADMIN_EMAIL: z.string().min(3).default('admin@localhost'),
  /** Its password; unset generates a random one, printed once. */
  RETUNE_ADMIN_PASSWORD: z.string().min(8).optional(),
});

export type ToolsEnv = Omit<z.infer<typeof envSchema>, 'DATABASE_URL'> & { DATABASE_URL: string };

/** The only place the tools read process.env (child processes inherit it as is). */
export function loadToolsEnv(source: Record<string, string | undefined> = process.env): ToolsEnv {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid environment:\n${lines.join('\n')}`);
  }
  return {
    ...parsed.data,
    DATABASE_URL: parsed.data.DATABASE_URL ?? `file:${parsed.data.RETUNE_DATA_DIR}/retune.db`,
  };
}
