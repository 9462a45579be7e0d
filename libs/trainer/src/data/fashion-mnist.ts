import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readEnv } from '../env';
import { dataCacheDir } from './cache-dir';
import { readIdxImages, readIdxLabels } from './idx';

/**
 * Fashion-MNIST (Zalando, MIT/Expat): 60,000 training images of 28×28 grey clothing in 10
 * classes, from Debian's `dataset-fashion-mnist` package. Found, in order, in
 * RETUNE_FASHION_MNIST, the system install (/usr/share/datasets/fashion-mnist, e.g. after
 * `apt-get install dataset-fashion-mnist` or .ci/fashion-mnist.sh), or the data cache; at first
 * use without any of them the .deb is fetched with `apt-get download` and unpacked with
 * `dpkg-deb -x` into the data cache (no root needed).
 */
export const FASHION_PACKAGE = 'dataset-fashion-mnist';
export const FASHION_SYSTEM_DIR = '/usr/share/datasets/fashion-mnist';
const SYSTEM_SUBDIR = FASHION_SYSTEM_DIR.slice(1);
export const FASHION_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
} as const;
/** Class folder names (Zalando's labels, made file-name safe), index = label. */
export const FASHION_CLASSES = [
  't-shirt',
  'trouser',
  'pullover',
  'dress',
  'coat',
  'sandal',
  'shirt',
  'sneaker',
  'bag',
  'ankle-boot',
] as const;

const hasFiles = (dir: string) =>
  Object.values(FASHION_FILES).every((f) => existsSync(join(dir, f)));

/** The unpacked package's dataset folder inside a cache root. */
export const cachedFashionDir = (cacheRoot: string) =>
  join(resolve(cacheRoot), 'fashion-mnist', SYSTEM_SUBDIR);

function run(cmd: string, args: string[], cwd: string): string | undefined {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.error) return `${cmd}: ${r.error.message}`;
  return r.status === 0 ? undefined : `${cmd} ${args.join(' ')}: ${(r.stderr || '').trim()}`;
}

/**
 * `apt-get download` + `dpkg-deb -x` of the package into `cacheRoot`; returns the data folder.
 * Unpacked in a private folder and renamed into place, so concurrent trials never see half.
 */
export function fetchFashionMnist(cacheRoot: string): string {
  mkdirSync(resolve(cacheRoot), { recursive: true });
  const work = mkdtempSync(join(resolve(cacheRoot), 'fashion-mnist.tmp-'));
  try {
    let err = run('apt-get', ['download', '-q', FASHION_PACKAGE], work);
    // A fresh machine may have no package lists yet; root can fetch them.
    if (err && process.getuid?.() === 0) {
      run('apt-get', ['update', '-qq'], work);
      err = run('apt-get', ['download', '-q', FASHION_PACKAGE], work);
    }
    const deb = readdirSync(work).find((f) => f.startsWith(FASHION_PACKAGE) && f.endsWith('.deb'));
    if (!err && deb) err = run('dpkg-deb', ['-x', deb, '.'], work);
    if (deb) rmSync(join(work, deb), { force: true });
    if (!err && hasFiles(join(work, SYSTEM_SUBDIR))) {
      try {
        renameSync(work, join(resolve(cacheRoot), 'fashion-mnist'));
      } catch {
        // Another trial got there first: its copy is as good as ours.
      }
    }
    const dir = cachedFashionDir(cacheRoot);
    if (err || !hasFiles(dir)) {
      throw new Error(
        `Fashion-MNIST is not installed and could not be fetched (${err ?? `no ${FASHION_FILES.trainImages} in the package`}). ` +
          `Install it with \`sudo apt-get install ${FASHION_PACKAGE}\` (or bash .ci/fashion-mnist.sh), ` +
          `or set RETUNE_FASHION_MNIST to a folder holding ${Object.values(FASHION_FILES).join(', ')}`,
      );
    }
    return dir;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The folder holding the Fashion-MNIST files, fetching the package at first use. */
export function fashionMnistDir(): string {
  const env = readEnv();
  if (env.fashionMnistDir) {
    if (!hasFiles(env.fashionMnistDir)) {
      throw new Error(
        `RETUNE_FASHION_MNIST=${env.fashionMnistDir} lacks ${Object.values(FASHION_FILES).join(' or ')}`,
      );
    }
    return env.fashionMnistDir;
  }
  if (hasFiles(FASHION_SYSTEM_DIR)) return FASHION_SYSTEM_DIR;
  const cached = cachedFashionDir(dataCacheDir());
  return hasFiles(cached) ? cached : fetchFashionMnist(dataCacheDir());
}

const pools = new Map<string, Uint8Array[]>();

/** All training images of each class (index = label) as flat 28×28 grey bytes. */
export function loadFashionClasses(dir = fashionMnistDir()): Uint8Array[] {
  const hit = pools.get(dir);
  if (hit) return hit;
  const images = readIdxImages(join(dir, FASHION_FILES.trainImages));
  const labels = readIdxLabels(join(dir, FASHION_FILES.trainLabels));
  if (images.rows !== 28 || images.cols !== 28 || labels.length !== images.count) {
    throw new Error(
      `${dir}: expected 28×28 images with one label each, got ${images.count} of ${images.rows}×${images.cols} and ${labels.length} labels`,
    );
  }
  const size = 28 * 28;
  const byClass = FASHION_CLASSES.map(() => [] as number[]);
  labels.forEach((l, i) => byClass[l]?.push(i));
  const pool = byClass.map((idx) => {
    const out = new Uint8Array(idx.length * size);
    idx.forEach((src, j) =>
      out.set(images.pixels.subarray(src * size, (src + 1) * size), j * size),
    );
    return out;
  });
  pools.set(dir, pool);
  return pool;
}
