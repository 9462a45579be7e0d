#!/usr/bin/env node
// `npm run setup:gpu`: installs @tensorflow/tfjs-node-gpu with a CUDA TensorFlow taken from
// PyPI (tensorflow 2.20.0 + the pinned nvidia-*-cu12 wheels), never from storage.googleapis.com.
// The package comes from npm (`npm pack`, its download script never runs); the wheels are
// fetched with pip into .tools/cache/tfjs-native (sha256 checked, reused), unpacked once, and
// hard-linked into <pkg>/deps so that the libraries' own RUNPATHs find each other:
//   deps/lib/libtensorflow_cc.so.2   RUNPATH $ORIGIN/../nvidia/<lib>/lib
//   deps/nvidia/<lib>/lib/*.so*      (cuDNN also looks in ../../nvrtc/lib: a symlink)
// Then tfjs-node-gpu's own binding is built with node-gyp and loaded in a child process.
//
// Usage: node tools/tfjs-native/install-gpu.mjs [--force] [--cache-dir DIR] [--keep-build]
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
  run,
  setLogPrefix,
} from './addon.mjs';
import {
  CUDA_WHEELS,
  TF_GPU_VERSION,
  TF_HEADER_PREFIXES,
  TF_LIBS,
  TF_WHEEL,
  TFJS_NODE_GPU_VERSION,
} from './gpu-pins.mjs';
import { unpackPinnedWheel } from './pypi-wheel.mjs';

const PKG = '@tensorflow/tfjs-node-gpu';
const MARKER = '.tfjs-native-gpu.json';

function parseArgs(argv) {
  const opts = {
    force: false,
    keepBuild: false,
    cacheDir: path.join(repoRoot, '.tools', 'cache', 'tfjs-native'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--force') opts.force = true;
    else if (a === '--keep-build') opts.keepBuild = true;
    else if (a === '--cache-dir') opts.cacheDir = path.resolve(argv[++i] ?? '');
    else
      throw new InstallError(
        `unknown option ${a} (usage: npm run setup:gpu -- [--force] [--cache-dir DIR] [--keep-build])`,
      );
  }
  return opts;
}

/**
 * The npm package, unpacked into node_modules without running its install script (which
 * downloads libtensorflow 2.9.1 for CUDA 11 from outside the registries). Its dependencies are
 * tfjs-node's, already installed. `npm install` prunes it (it is not in the lockfile, so that
 * `npm install` stays CPU-only): run setup:gpu again after it; the cache makes that quick.
 */
function ensurePackage(cacheDir) {
  const dest = path.join(repoRoot, 'node_modules', '@tensorflow', 'tfjs-node-gpu');
  const pj = path.join(dest, 'package.json');
  if (
    fs.existsSync(pj) &&
    JSON.parse(fs.readFileSync(pj, 'utf8')).version === TFJS_NODE_GPU_VERSION
  )
    return dest;
  const tgz = path.join(cacheDir, `tensorflow-tfjs-node-gpu-${TFJS_NODE_GPU_VERSION}.tgz`);
  fs.mkdirSync(cacheDir, { recursive: true });
  if (!fs.existsSync(tgz)) {
    log(`fetching ${PKG}@${TFJS_NODE_GPU_VERSION} from npm (npm pack checks its integrity)`);
    const r = run(
      'npm',
      ['pack', `${PKG}@${TFJS_NODE_GPU_VERSION}`, '--pack-destination', cacheDir],
      { capture: true },
    );
    if (!r.ok || !fs.existsSync(tgz))
      throw new InstallError(`npm pack ${PKG}@${TFJS_NODE_GPU_VERSION} failed`, [r.stderr.trim()]);
  }
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest, { recursive: true });
  const t = run('tar', ['-xzf', tgz, '-C', dest, '--strip-components=1'], { capture: true });
  if (!t.ok) throw new InstallError(`unpacking ${tgz} failed`, [t.stderr.trim()]);
  return dest;
}

function unpackTensorflow(cacheDir) {
  return unpackPinnedWheel(cacheDir, TF_WHEEL, {
    dirName: `tensorflow-${TF_GPU_VERSION}`,
    rules: [
      ...TF_LIBS.map((l) => ({ from: l.member, to: `lib/${l.file}` })),
      ...TF_HEADER_PREFIXES.map((p) => ({ from: `tensorflow/include/${p}`, to: `include/${p}` })),
    ],
    expect: [...TF_LIBS.map((l) => `lib/${l.file}`), 'include/tensorflow/c/eager/c_api.h'],
  });
}

function unpackCuda(cacheDir) {
  return CUDA_WHEELS.map((w) => ({
    wheel: w,
    dir: unpackPinnedWheel(cacheDir, w, {
      dirName: `cuda12/${w.spec.replace('==', '-')}`,
      rules: [{ from: `nvidia/${w.lib}/lib/`, to: `nvidia/${w.lib}/lib/` }],
      expect: [`nvidia/${w.lib}/lib`],
    }),
  }));
}

/** Hard-links (or copies) every file of the tree `src` into `dst`. */
function linkTree(src, dst) {
  fs.mkdirSync(dst, { recursive: true });
  for (const e of fs.readdirSync(src, { withFileTypes: true })) {
    if (e.name === '.complete') continue;
    if (e.isDirectory()) linkTree(path.join(src, e.name), path.join(dst, e.name));
    else linkOrCopy(path.join(src, e.name), path.join(dst, e.name));
  }
}

function layoutDeps(pkgDir, tfDir, cudaDirs) {
  const deps = path.join(pkgDir, 'deps');
  fs.rmSync(deps, { recursive: true, force: true });
  const lib = path.join(deps, 'lib');
  linkTree(path.join(tfDir, 'lib'), lib);
  for (const l of TF_LIBS) fs.symlinkSync(l.file, path.join(lib, l.linkName));
  // tfjs-node-gpu's scripts/install.js skips its download when this file exists (npm rebuild).
  const v = readLibtensorflowVersion(pkgDir);
  if (v) fs.symlinkSync(TF_LIBS[0].file, path.join(lib, `libtensorflow.so.${v}`));
  fs.cpSync(path.join(tfDir, 'include'), path.join(deps, 'include'), { recursive: true });
  for (const { dir } of cudaDirs) linkTree(dir, deps);
  // cuDNN's RUNPATH names $ORIGIN/../../nvrtc/lib; the wheel's folder is cuda_nvrtc.
  fs.symlinkSync('cuda_nvrtc', path.join(deps, 'nvidia', 'nvrtc'));
  const installed = {
    tensorflow: TF_GPU_VERSION,
    cuda: Object.fromEntries(CUDA_WHEELS.map((w) => w.spec.split('=='))),
  };
  fs.writeFileSync(path.join(deps, MARKER), `${JSON.stringify(installed, null, 2)}\n`);
}

function duBytes(dir) {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += duBytes(p);
    else if (e.isFile()) n += fs.statSync(p).size;
  }
  return n;
}

const gb = (n) => `${(n / 1e9).toFixed(2)} GB`;

function report(pkgDir, cacheDir, p) {
  log(`ok: ${PKG} ${TFJS_NODE_GPU_VERSION}, backend=${p.backend}, TensorFlow ${p.tfVersion}`);
  log(
    `installed: tensorflow ${TF_GPU_VERSION} (CUDA 12.5, cuDNN 9) + ${CUDA_WHEELS.map((w) => w.spec).join(', ')}`,
  );
  log(
    `size: ${gb(duBytes(path.join(pkgDir, 'deps')))} in ${path.relative(repoRoot, path.join(pkgDir, 'deps'))} (hard links to the cache where possible); cache ${gb(duBytes(cacheDir))} in ${path.relative(repoRoot, cacheDir)}`,
  );
  log(
    'at run time: TF_FORCE_GPU_ALLOW_GROWTH=true, one GPU per trial through CUDA_VISIBLE_DEVICES (the worker sets both)',
  );
}

function main() {
  setLogPrefix('[tfjs-native-gpu]');
  const opts = parseArgs(process.argv.slice(2));
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new InstallError(
      `the GPU build is linux-x64 only (got ${process.platform}-${process.arch})`,
    );
  const pkgDir = findPackageDir(ensurePackage(opts.cacheDir), PKG);
  const marker = path.join(pkgDir, 'deps', MARKER);
  if (!opts.force && fs.existsSync(marker)) {
    const p = probe(pkgDir);
    if (p.ok && p.tfVersion === TF_GPU_VERSION) return report(pkgDir, opts.cacheDir, p);
  }
  const target = addonTarget(
    pkgDir,
    JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')),
  );
  const tfDir = unpackTensorflow(opts.cacheDir);
  const cudaDirs = unpackCuda(opts.cacheDir);
  layoutDeps(pkgDir, tfDir, cudaDirs);
  buildAddon(pkgDir, target);
  if (!opts.keepBuild) fs.rmSync(path.join(pkgDir, 'build'), { recursive: true, force: true });
  const p = probe(pkgDir);
  if (!p.ok)
    throw new InstallError('built the GPU addon, but it does not load', [
      p.reason,
      `addon: ${target.file}`,
    ]);
  report(pkgDir, opts.cacheDir, p);
}

try {
  main();
} catch (e) {
  console.error(`[tfjs-native-gpu] ERROR: ${e.message}`);
  for (const t of e.tried ?? []) console.error(`  tried: ${t}`);
  if (!(e instanceof InstallError)) console.error(e.stack);
  process.exit(1);
}
