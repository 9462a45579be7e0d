import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** An npm package version pinned by its registry integrity (sha512, as in package-lock). */
export interface PinnedTarball {
  spec: string;
  file: string;
  integrity: string;
}

const integrityOf = (buf: Buffer) => `sha512-${createHash('sha512').update(buf).digest('base64')}`;

/**
 * The package tarball's bytes, fetched with `npm pack` (which uses the user's npm registry and
 * proxy settings) into `cacheDir` when missing there; its integrity is checked either way.
 */
export function ensurePinnedTarball(
  t: PinnedTarball,
  cacheDir: string,
  log: (msg: string) => void,
): Buffer {
  const file = join(cacheDir, t.file);
  if (existsSync(file)) {
    const buf = readFileSync(file);
    if (integrityOf(buf) === t.integrity) return buf;
    rmSync(file);
  }
  mkdirSync(cacheDir, { recursive: true });
  log(`downloading ${t.spec} with npm pack`);
  const args = ['pack', t.spec, '--pack-destination', cacheDir, '--silent'];
  const r = spawnSync('npm', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0 || !existsSync(file)) {
    const why = r.error ? r.error.message : (r.stderr || '').trim().split('\n').slice(-3).join(' ');
    throw new Error(`npm ${args.join(' ')} failed (exit ${r.status}): ${why}`);
  }
  const buf = readFileSync(file);
  const got = integrityOf(buf);
  if (got !== t.integrity) {
    rmSync(file);
    throw new Error(`integrity mismatch for ${t.spec}: expected ${t.integrity}, got ${got}`);
  }
  return buf;
}
