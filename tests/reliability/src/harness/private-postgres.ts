/**
 * A throwaway PostgreSQL cluster of our own (initdb in a temp dir, its own port), so the suite
 * can stop and start "the database" without touching the server other tests share.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './stack';

/**
 * Server settings a Retune PostgreSQL needs (docker/compose.yaml sets the same): the scale-out
 * test showed a host cut off inside a metric-write transaction keeping its locks for ~2 minutes
 * while the host that took over its trials waited on them.
 */
export const POSTGRES_RELIABILITY_FLAGS = [
  '-c idle_in_transaction_session_timeout=10s',
  '-c tcp_keepalives_idle=10',
  '-c tcp_keepalives_interval=5',
  '-c tcp_keepalives_count=3',
];

/** Debian's versioned bin dir (newest), or null when PostgreSQL is not installed. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

export interface PrivatePostgres {
  url: string;
  stop(): void;
  start(): void;
  destroy(): void;
}

/** `listenAll`: also accept (trusted) connections from other addresses, e.g. namespaces. */
export async function startPrivatePostgres(
  binDir: string,
  opts: { listenAll?: boolean } = {},
): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'retune-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = await freePort();
  // PostgreSQL refuses to run as root: run its tools as the postgres user when we are root.
  const asPg = (exe: string, args: string[]) => {
    const cmd = join(binDir, exe);
    const [file, argv] =
      process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
    execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir, timeout: 60_000 });
  };
  asPg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  if (opts.listenAll) appendFileSync(join(data, 'pg_hba.conf'), 'host all all 0.0.0.0/0 trust\n');
  const start = () =>
    asPg('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=${opts.listenAll ? "'*'" : '127.0.0.1'} -c fsync=off ` +
        // As docker/compose.yaml: a client cut off mid-transaction (a partitioned GPU host)
        // must not hold its row locks, and so stall every other host, for minutes.
        POSTGRES_RELIABILITY_FLAGS.join(' '),
      '-w',
      'start',
    ]);
  start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    start,
    // Immediate mode: no clean shutdown, like a crashed or unreachable server.
    stop: () => asPg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']),
    destroy: () => {
      try {
        asPg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        /* already stopped */
      }
      execFileSync('rm', ['-rf', dir]);
    },
  };
}
