import { createHash } from 'node:crypto';
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { mapLimit } from '@retune/core';
import { DECODER_VERSION, decodeImage, type ImageShape } from './decode';

/**
 * Decoded image folders kept on disk, so a trial never decodes again what an earlier trial on
 * the same worker did. The key hashes what decoding depends on: the decoder version, the
 * target shape and every file's absolute path, size and modification time; changing, adding or
 * removing a file gives a new key. An entry is `<key>.u8` (the readable images' pixels, in
 * order) + `<key>.json` (which files were unreadable and why). Entries are never pruned.
 */
export interface DecodeOptions {
  /** Folder of the cache; without it every call decodes. */
  cacheDir?: string;
  /** Images decoded at once (default 8). */
  concurrency?: number;
  /** Called once per unreadable image, also when the result comes from the cache. */
  warn?: (msg: string) => void;
  /**
   * With `cacheDir`: pixels over this many bytes are not returned but left in the cache entry,
   * whose path is returned as `file` (read per batch, ./image-store.ts). Default: never.
   */
  streamAbove?: number;
}

interface Entry {
  version: number;
  shape: number[];
  /** Per file: null when decoded, else why it was skipped. */
  errors: (string | null)[];
}

export function decodeCacheKey(files: readonly string[], shape: ImageShape): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ v: DECODER_VERSION, shape }));
  for (const f of files) {
    const st = statSync(f);
    h.update(`\n${resolve(f)}\0${st.size}\0${st.mtimeMs}`);
  }
  return h.digest('hex').slice(0, 32);
}

function readEntry(dir: string, key: string, files: number, size: number, streamAbove: number) {
  try {
    const meta = JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')) as Entry;
    const file = join(dir, `${key}.u8`);
    const bytes = statSync(file).size;
    const ok = meta.errors.filter((e) => e === null).length;
    if (meta.version !== DECODER_VERSION || meta.errors.length !== files) return undefined;
    if (bytes !== ok * size) return undefined;
    if (bytes > streamAbove) return { meta, pixels: new Uint8Array(0), file };
    // The file's own buffer, not a copy: an entry can be over a gigabyte.
    const buf = readFileSync(file);
    return { meta, pixels: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) };
  } catch {
    return undefined;
  }
}

const tmpSuffix = () => `.${process.pid}-${Date.now()}`;

/** Write-then-rename, so a concurrent trial never reads half an entry. */
function writeEntry(dir: string, key: string, meta: Entry, pixels: Uint8Array): void {
  mkdirSync(dir, { recursive: true });
  const tmp = tmpSuffix();
  writeFileSync(join(dir, `${key}.u8${tmp}`), pixels);
  renameSync(join(dir, `${key}.u8${tmp}`), join(dir, `${key}.u8`));
  writeMeta(dir, key, meta);
}

function writeMeta(dir: string, key: string, meta: Entry): void {
  const tmp = tmpSuffix();
  writeFileSync(join(dir, `${key}.json${tmp}`), JSON.stringify(meta));
  renameSync(join(dir, `${key}.json${tmp}`), join(dir, `${key}.json`));
}

/**
 * A miss too large to hold (`streamAbove`): each image is written at its place in the entry's
 * file as it is decoded, so the folder's pixels are never all in memory; the gaps of unreadable
 * files are then closed one image at a time. Returns the per-file errors.
 */
async function decodeToEntry(
  files: readonly string[],
  shape: ImageShape,
  opts: DecodeOptions & { cacheDir: string },
  key: string,
): Promise<(string | null)[]> {
  const size = shape[0] * shape[1] * shape[2];
  mkdirSync(opts.cacheDir, { recursive: true });
  const tmp = join(opts.cacheDir, `${key}.u8${tmpSuffix()}`);
  const errors: (string | null)[] = files.map(() => null);
  const fd = openSync(tmp, 'w+');
  try {
    await mapLimit(files, opts.concurrency ?? 8, async (f, i) => {
      let px: Uint8Array;
      try {
        px = await decodeImage(f, shape);
      } catch (err) {
        errors[i] = (err as Error).message;
        opts.warn?.(`skipping unreadable image ${f}: ${errors[i]}`);
        return;
      }
      writeSync(fd, px, 0, size, i * size);
    });
    const scratch = new Uint8Array(size);
    let kept = 0;
    errors.forEach((err, i) => {
      if (err !== null) return;
      if (kept !== i) {
        readSync(fd, scratch, 0, size, i * size);
        writeSync(fd, scratch, 0, size, kept * size);
      }
      kept++;
    });
    ftruncateSync(fd, kept * size);
    closeSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  renameSync(tmp, join(opts.cacheDir, `${key}.u8`));
  writeMeta(opts.cacheDir, key, { version: DECODER_VERSION, shape: [...shape], errors });
  return errors;
}

export interface DecodedFiles {
  /** The readable images' pixels, in file order, one after another. */
  pixels: Uint8Array;
  /** Per file: null when decoded, else why it was skipped. */
  errors: (string | null)[];
  /** Set when the pixels were left in this file (`streamAbove`); `pixels` is then empty. */
  file?: string;
}

/**
 * Decodes `files` to `shape` through the cache if given. Images are written straight into one
 * buffer (no per-image copies), which is also what the cache stores and returns.
 */
export async function decodeFiles(
  files: readonly string[],
  shape: ImageShape,
  opts: DecodeOptions = {},
): Promise<DecodedFiles> {
  const size = shape[0] * shape[1] * shape[2];
  const key = opts.cacheDir ? decodeCacheKey(files, shape) : '';
  const streamAbove = opts.streamAbove ?? Infinity;
  const hit = opts.cacheDir
    ? readEntry(opts.cacheDir, key, files.length, size, streamAbove)
    : undefined;
  if (hit) {
    hit.meta.errors.forEach((err, i) => {
      if (err !== null) opts.warn?.(`skipping unreadable image ${files[i]}: ${err}`);
    });
    return { pixels: hit.pixels, errors: hit.meta.errors, ...(hit.file && { file: hit.file }) };
  }
  if (opts.cacheDir && files.length * size > streamAbove) {
    const cacheDir = opts.cacheDir;
    const errors = await decodeToEntry(files, shape, { ...opts, cacheDir }, key);
    const file = join(cacheDir, `${key}.u8`);
    const kept = errors.filter((e) => e === null).length;
    if (kept * size > streamAbove) return { pixels: new Uint8Array(0), errors, file };
    const buf = readFileSync(file);
    return { pixels: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), errors };
  }
  const errors: (string | null)[] = files.map(() => null);
  const all = new Uint8Array(files.length * size);
  await mapLimit(files, opts.concurrency ?? 8, async (f, i) => {
    try {
      all.set(await decodeImage(f, shape), i * size);
    } catch (err) {
      errors[i] = (err as Error).message;
      opts.warn?.(`skipping unreadable image ${f}: ${errors[i]}`);
    }
  });
  // Close the gaps of unreadable files in place.
  let kept = 0;
  errors.forEach((err, i) => {
    if (err !== null) return;
    if (kept !== i) all.copyWithin(kept * size, i * size, (i + 1) * size);
    kept++;
  });
  const pixels = all.subarray(0, kept * size);
  if (opts.cacheDir) {
    writeEntry(opts.cacheDir, key, { version: DECODER_VERSION, shape: [...shape], errors }, pixels);
  }
  return { pixels, errors };
}
