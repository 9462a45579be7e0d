import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { providerOf, sqlitePath } from './provider';

/** The driver adapter factory for a URL; used by the client and by the migration engine. */
export function adapterFactoryFor(databaseUrl: string): PrismaBetterSqlite3 | PrismaPg {
  if (providerOf(databaseUrl) === 'postgresql') return new PrismaPg({ connectionString: databaseUrl });
  const file = sqlitePath(databaseUrl);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  // WAL lets the dashboard read while workers write; busy_timeout rides out short write locks.
  return new PrismaBetterSqlite3({ url: file, timeout: 10_000 });
}
