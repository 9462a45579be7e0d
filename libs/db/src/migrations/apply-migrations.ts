import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { providerOf, type Provider } from '../provider';
import { migrationsDir, schemaFilter } from './paths';
import { openSchemaEngine } from './schema-engine';

/** The committed migrations of a provider, read as Prisma's CLI reads them. */
export function loadMigrationList(
  provider: Provider,
  baseDir = migrationsDir(provider),
): MigrationList {
  const lockPath = join(baseDir, 'migration_lock.toml');
  const dirs = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir,
    lockfile: {
      path: 'migration_lock.toml',
      content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => {
      const file = join(baseDir, name, 'migration.sql');
      return {
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: existsSync(file)
            ? { tag: 'ok' as const, value: readFileSync(file, 'utf8') }
            : { tag: 'error' as const, value: `${file} is missing` },
        },
      };
    }),
  };
}

/**
 * Applies the committed migrations for the database's provider (what `prisma migrate deploy`
 * does), through the WebAssembly schema engine so no native engine is needed. Idempotent:
 * applied migrations are recorded in `_prisma_migrations` and skipped.
 */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  const provider = providerOf(databaseUrl);
  const list = loadMigrationList(provider);
  if (list.migrationDirectories.length === 0) {
    throw new Error(`no migrations found under ${list.baseDir}`);
  }
  const { engine, close } = await openSchemaEngine(databaseUrl);
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: list,
      filters: schemaFilter,
    });
    return appliedMigrationNames;
  } finally {
    await close();
  }
}
