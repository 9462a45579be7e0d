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
// Plain Node ESM, no dependencies. Needs: linux x64, python3 with pip (registry
// access to PyPI or a warm cache), a C++ toolchain (g++/make) and Node headers
// (a local `nodedir`, e.g. /usr/include/node, or internet for node-gyp).
// See README.md next to this file.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  addonTarget,
  buildAddon,
  findPackageDir,
  InstallError,
  linkOrCopy,
  log,
  probe,
  readLibtensorflowVersion,
  repoRoot,
} from './addon.mjs';
import { CPU_DEFAULT, cpuWheel } from './cpu-pins.mjs';
import { TF_HEADER_PREFIXES } from './gpu-pins.mjs';
import { unpackPinnedWheel } from './pypi-wheel.mjs';

// ---- pins (cpu-pins.mjs) ----------------------------------------------------
// tensorflow-cpu 2.12 is the oldest PyPI wheel that ships the C API in a
// Python-free library (tensorflow/libtensorflow_cc.so.2). Older wheels (2.9-2.11)
// only have it inside python/_pywrap_tensorflow_internal.so, which needs libpython.
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
// tensorflow/include/ inside the wheel: the GPU build's list, which covers 2.12 (tensorflow/tsl/)
// and 2.20 (tsl/ and xla/tsl/ at the top).
const HEADER_PREFIXES = TF_HEADER_PREFIXES;
const MARKER = '.tfjs-native.json';

function parseArgs(argv) {
  const opts = {
    force: false,
    keepBuild: false,
    cacheDir: path.join(repoRoot, '.tools', 'cache', 'tfjs-native'),
    pkgDir: undefined,
    tfVersion: CPU_DEFAULT,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--force') opts.force = true;
    else if (a === '--keep-build') opts.keepBuild = true;
    else if (a === '--cache-dir') opts.cacheDir = path.resolve(argv[++i] ?? '');
    else if (a === '--tf-version') opts.tfVersion = argv[++i] ?? '';
    else if (a === '-h' || a === '--help') {
      console.log(
        'usage: node tools/tfjs-native/install.mjs [tfjs-node package dir] [--force] [--cache-dir DIR] [--keep-build] [--tf-version X.Y.Z]',
      );
      process.exit(0);
    } else if (a.startsWith('-')) throw new InstallError(`unknown option ${a}`);
    else opts.pkgDir = path.resolve(a);
  }
  return opts;
}

// The two libraries + header subset, unpacked once into <cacheDir>/tensorflow-cpu-<ver>/.
function ensureExtracted(cacheDir, version) {
  return unpackPinnedWheel(cacheDir, cpuWheel(version), {
    dirName: `tensorflow-cpu-${version}`,
    rules: [
      ...LIBS.map((l) => ({ from: l.member, to: `lib/${l.file}` })),
      ...HEADER_PREFIXES.map((p) => ({
        from: `tensorflow/include/${p}`,
        to: `include/${p}`,
      })),
    ],
    expect: [...LIBS.map((l) => `lib/${l.file}`), 'include/tensorflow/c/eager/c_api.h'],
  });
}

function layoutDeps(pkgDir, extracted, version) {
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
  fs.rmSync(path.join(deps, MARKER), { force: true }); // a new file: deps/ may be hard-linked
  fs.writeFileSync(
    path.join(deps, MARKER),
    `${JSON.stringify({ tensorflowCpu: version, wheel: cpuWheel(version).file, libs: LIBS.map((l) => l.file) }, null, 2)}\n`,
  );
}

/**
 * The tensorflow-cpu version this recipe last built the addon against (its marker), or
 * undefined for an addon it did not build (the ordinary install's, which is kept).
 */
function builtVersion(pkgDir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(pkgDir, 'deps', MARKER), 'utf8')).tensorflowCpu;
  } catch {
    return undefined;
  }
}

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
    const built = builtVersion(pkgDir);
    if (p.ok && (built === undefined || built === opts.tfVersion)) {
      log(
        `native backend already works (backend=${p.backend}, TensorFlow ${p.tfVersion}); nothing to do`,
      );
      return;
    }
    if (p.ok)
      log(`the addon was built against tensorflow-cpu ${built}; rebuilding for ${opts.tfVersion}`);
    else {
      log(`native addon not usable yet: ${p.reason.split('\n')[0]}`);
      if (tryOrdinaryInstall(pkgDir)) return;
    }
  }

  const target = addonTarget(pkgDir, pkgJson);
  // A new file, never a write into the old one: node_modules may be hard-linked elsewhere.
  fs.rmSync(target.file, { force: true });
  const extracted = ensureExtracted(opts.cacheDir, opts.tfVersion);
  layoutDeps(pkgDir, extracted, opts.tfVersion);
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
    `ok: backend=${p.backend}, TensorFlow ${p.tfVersion} (from tensorflow-cpu ${opts.tfVersion} wheel)`,
  );
}

try {
  main();
} catch (e) {
  console.error(`[tfjs-native] ERROR: ${e.message}`);
  for (const t of e.tried ?? []) console.error(`  tried: ${t}`);
  if (!(e instanceof InstallError)) console.error(e.stack);
  console.error(
    '[tfjs-native] Fallback: with internet access the ordinary `npm install @tensorflow/tfjs-node` downloads prebuilt binaries; or use @tensorflow/tfjs (pure-JS cpu backend).',
  );
  process.exit(1);
}
