import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { providerOf, sqlitePath } from './provider';

export const PG_IDLE_IN_TRANSACTION_MS = 10_000;

/** The driver adapter factory for a URL; used by the client and by the migration engine. */
export function adapterFactoryFor(databaseUrl: string): PrismaBetterSqlite3 | PrismaPg {
  if (providerOf(databaseUrl) === 'postgresql')
    return new PrismaPg({
      connectionString: databaseUrl,
      // A worker host that vanishes mid-transaction must not hold row locks for minutes (the
      // reliability suite's host-cut fault): the server ends such sessions, keepalives notice.
      idle_in_transaction_session_timeout: PG_IDLE_IN_TRANSACTION_MS,
      keepAlive: true,
    });
  const file = sqlitePath(databaseUrl);
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true });
    useWal(file);
  }
  // busy_timeout (better-sqlite3's `timeout`) rides out short write locks between processes.
  return new PrismaBetterSqlite3({ url: file, timeout: 10_000 });
}

/**
 * WAL lets the dashboard read while workers write. It is a persistent setting of the file,
 * so switching once (creating the file if needed) covers every later connection.
 */
export function useWal(file: string): void {
  const db = new Database(file, { timeout: 10_000 });
  try {
    if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
}
