// Shared by install.mjs (tfjs-node, CPU) and install-gpu.mjs (tfjs-node-gpu): finding the
// package, probing its addon in a child process and building it with node-gyp.
import {
  findPython as findPip,
  sha256File,
  WheelError as InstallError,
} from '@retune/trainer/pypi-wheel';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');

// One error type and one wheel fetcher with the trainer, which fetches pretrained bases' wheels.
export { InstallError, sha256File };

let prefix = '[tfjs-native]';
/** The tag every line of this run starts with ([tfjs-native] or [tfjs-native-gpu]). */
export function setLogPrefix(p) {
  prefix = p;
}
export function log(msg) {
  console.log(`${prefix} ${msg}`);
}

export function run(cmd, args, { cwd, capture = false, env } = {}) {
  const r = spawnSync(cmd, args, {
    cwd,
    env: env ?? process.env,
    encoding: 'utf8',
    stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    ok: r.status === 0 && !r.error,
    status: r.status,
    error: r.error,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
  };
}

export function describe(cmd, args) {
  return [cmd, ...args].map((s) => (/\s/.test(s) ? JSON.stringify(s) : s)).join(' ');
}

export function findPackageDir(explicit, name = '@tensorflow/tfjs-node') {
  const tried = [];
  const candidates = [];
  if (explicit) candidates.push(explicit);
  else {
    try {
      const req = createRequire(path.join(repoRoot, 'package.json'));
      candidates.push(path.dirname(req.resolve(`${name}/package.json`)));
    } catch (e) {
      tried.push(`require.resolve(${name}/package.json) from ${repoRoot}: ${e.code ?? e.message}`);
    }
    candidates.push(path.join(repoRoot, 'node_modules', ...name.split('/')));
  }
  for (const dir of candidates) {
    const pj = path.join(dir, 'package.json');
    if (!fs.existsSync(pj)) {
      tried.push(`${pj}: missing`);
      continue;
    }
    if (JSON.parse(fs.readFileSync(pj, 'utf8')).name === name) return dir;
    tried.push(`${pj}: not the ${name} package`);
  }
  throw new InstallError(
    `could not find an installed ${name} (install it with \`npm install --ignore-scripts ${name}\`, or pass its directory)`,
    tried,
  );
}

// Where tfjs-node's dist/index.js will look for the addon: node-pre-gyp's find().
export function addonTarget(pkgDir, pkgJson) {
  const req = createRequire(path.join(pkgDir, 'package.json'));
  try {
    const file = req('@mapbox/node-pre-gyp').find(path.join(pkgDir, 'package.json'));
    const m = /napi-v(\d+)/.exec(file);
    if (m) return { file, napi: Number(m[1]) };
  } catch {
    // fall through: compute it the way node-pre-gyp does
  }
  const bin = pkgJson.binary;
  const napi = Math.max(...bin.napi_versions.filter((v) => v <= Number(process.versions.napi)));
  const dir = path.resolve(pkgDir, bin.module_path.replace('{napi_build_version}', String(napi)));
  return { file: path.join(dir, `${bin.module_name}.node`), napi };
}

// Load the addon + package in a child process (a bad .so must not kill us).
export function probe(pkgDir) {
  const code = `
    const tf = require(${JSON.stringify(pkgDir)});
    const backend = tf.getBackend();
    const v = tf.backend().binding ? tf.backend().binding.TF_Version : undefined;
    const s = tf.tensor2d([[1, 2], [3, 4]]).matMul(tf.tensor2d([[1], [1]])).dataSync().join(',');
    console.log(JSON.stringify({ backend, tfVersion: v, check: s }));`;
  const r = run(process.execPath, ['-e', code], {
    capture: true,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  if (!r.ok) {
    const lines = (r.stderr || r.stdout || String(r.error)).trim().split('\n');
    const err = lines.find((l) => /^\w*Error\b|Error:/.test(l));
    return { ok: false, reason: err ? err.trim() : lines.slice(0, 8).join('\n') };
  }
  try {
    const res = JSON.parse(r.stdout.trim().split('\n').pop());
    if (res.backend === 'tensorflow' && res.check === '3,7') return { ok: true, ...res };
    return { ok: false, reason: `loaded, but backend=${res.backend} check=${res.check}` };
  } catch {
    return { ok: false, reason: `unexpected output: ${r.stdout.slice(-500)}` };
  }
}

export function findPython() {
  return findPip('to fetch TensorFlow wheels from PyPI');
}

export function linkOrCopy(src, dst) {
  fs.rmSync(dst, { force: true });
  try {
    fs.linkSync(src, dst);
  } catch {
    fs.copyFileSync(src, dst);
  }
}

export function readLibtensorflowVersion(pkgDir) {
  try {
    const src = fs.readFileSync(path.join(pkgDir, 'scripts', 'deps-constants.js'), 'utf8');
    return /LIBTENSORFLOW_VERSION\s*=\s*'([\d.]+)'/.exec(src)?.[1];
  } catch {
    return undefined;
  }
}

export function findNodeGyp() {
  const tried = [];
  const candidates = [];
  try {
    candidates.push(
      createRequire(path.join(repoRoot, 'package.json')).resolve('node-gyp/bin/node-gyp.js'),
    );
  } catch {
    tried.push(`require.resolve('node-gyp/bin/node-gyp.js') from ${repoRoot}: not installed`);
  }
  // node-gyp bundled with npm
  if (process.env.npm_execpath)
    candidates.push(
      path.join(
        path.dirname(process.env.npm_execpath),
        '..',
        'node_modules',
        'node-gyp',
        'bin',
        'node-gyp.js',
      ),
    );
  const prefix = path.dirname(path.dirname(process.execPath));
  candidates.push(
    path.join(
      prefix,
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  );
  candidates.push(
    path.join(
      path.dirname(process.execPath),
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  );
  for (const c of candidates) {
    if (fs.existsSync(c)) return c;
    tried.push(`${c}: missing`);
  }
  throw new InstallError('node-gyp not found (it normally ships with npm)', tried);
}

// Node headers: prefer a local nodedir so node-gyp need not download them.
export function findNodeDir() {
  const cands = [
    process.env.npm_config_nodedir,
    readNpmConfig('nodedir'),
    path.dirname(path.dirname(process.execPath)),
    '/usr',
    '/usr/local',
  ].filter(Boolean);
  for (const d of cands) if (fs.existsSync(path.join(d, 'include', 'node', 'node_api.h'))) return d;
  return undefined;
}

function readNpmConfig(key) {
  try {
    const rc = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');
    const m = new RegExp(`^\\s*${key}\\s*=\\s*(.+)$`, 'm').exec(rc);
    return m ? m[1].trim() : undefined;
  } catch {
    return undefined;
  }
}

export function buildAddon(pkgDir, target) {
  const gyp = findNodeGyp();
  const nodedir = findNodeDir();
  const args = [
    gyp,
    'rebuild',
    `--jobs=${Math.max(1, os.cpus().length)}`,
    '--module_name=tfjs_binding',
    `--module_path=${path.dirname(target.file)}`,
    `--napi_build_version=${target.napi}`,
  ];
  if (nodedir) args.push(`--nodedir=${nodedir}`);
  log(`building addon: node ${args.map((a) => (a === gyp ? 'node-gyp' : a)).join(' ')}`);
  const t0 = Date.now();
  const r = run(process.execPath, args, { cwd: pkgDir });
  if (!r.ok) {
    throw new InstallError('node-gyp build failed (see output above)', [
      `${describe(process.execPath, args)} in ${pkgDir} -> exit ${r.status}`,
      nodedir
        ? `node headers: ${nodedir}/include/node`
        : 'no local node headers found; node-gyp tried to download them',
      'needs: python3, make, g++ (apt-get install build-essential python3)',
    ]);
  }
  log(`built in ${((Date.now() - t0) / 1000).toFixed(1)} s -> ${target.file}`);
}

// ---- main -------------------------------------------------------------------
/**
 * tfjs-node's own installer (denied as an npm install script because it downloads from outside
 * the package registries). Where that download works, it is the ordinary install and we keep
 * it; where it cannot (this workplace), it fails at once and the wheel route below runs.
 * RETUNE_TFJS_SKIP_ORDINARY_INSTALL=1 skips the attempt.
 */
