import { adapterFactoryFor } from './adapters';
import { PrismaClient as PostgresClient } from './generated/postgresql/client';
import { PrismaClient as SqliteClient } from './generated/sqlite/client';
import { providerOf } from './provider';

/**
 * One client type for both providers. Both generated clients come from the same models
 * (prisma/models.prisma), so their model APIs are identical; repositories are typed against
 * the SQLite client and the PostgreSQL client is cast to it. (A union of the two client types
 * would make every model method uncallable for TypeScript; the only differences are
 * provider-only query options such as `mode: 'insensitive'`, which the repositories do not use.)
 */
export type Db = SqliteClient;

export function createDb(databaseUrl: string): Db {
  const adapter = adapterFactoryFor(databaseUrl);
  if (providerOf(databaseUrl) === 'postgresql') {
    return new PostgresClient({ adapter }) as unknown as Db;
  }
  return new SqliteClient({ adapter });
}
