export type Provider = 'sqlite' | 'postgresql';

/** `file:…` (or a bare path) is SQLite; `postgres://` / `postgresql://` is PostgreSQL. */
export function providerOf(databaseUrl: string): Provider {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) return 'postgresql';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(databaseUrl) && !databaseUrl.startsWith('file:')) {
    throw new Error(
      `DATABASE_URL "${databaseUrl.replace(/\/\/[^@/]*@/, '//***@')}" is not supported: use file:/path/to/db.sqlite or postgresql://user:pass@host:5432/db`,
    );
  }
  return 'sqlite';
}

/** The SQLite file path of a `file:` URL (relative paths resolve against cwd). */
export function sqlitePath(databaseUrl: string): string {
  return databaseUrl.startsWith('file:') ? databaseUrl.slice('file:'.length) : databaseUrl;
}
