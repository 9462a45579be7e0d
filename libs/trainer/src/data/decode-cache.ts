import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DECODER_VERSION, decodeImage, mapLimit, type ImageShape } from './decode';

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

/** Write-then-rename, so a concurrent trial never reads half an entry. */
function writeEntry(dir: string, key: string, meta: Entry, pixels: Uint8Array): void {
  mkdirSync(dir, { recursive: true });
  const tmp = `.${process.pid}-${Date.now()}`;
  writeFileSync(join(dir, `${key}.u8${tmp}`), pixels);
  renameSync(join(dir, `${key}.u8${tmp}`), join(dir, `${key}.u8`));
  writeFileSync(join(dir, `${key}.json${tmp}`), JSON.stringify(meta));
  renameSync(join(dir, `${key}.json${tmp}`), join(dir, `${key}.json`));
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
    // Drop the decoded buffer: the trial then holds what a later one reading the cache would.
    if (pixels.length > streamAbove) {
      return { pixels: new Uint8Array(0), errors, file: join(opts.cacheDir, `${key}.u8`) };
    }
  }
  return { pixels, errors };
}
