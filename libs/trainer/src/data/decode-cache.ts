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

function readEntry(dir: string, key: string, files: number, size: number) {
  try {
    const meta = JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')) as Entry;
    const pixels = new Uint8Array(readFileSync(join(dir, `${key}.u8`)));
    const ok = meta.errors.filter((e) => e === null).length;
    if (meta.version !== DECODER_VERSION || meta.errors.length !== files) return undefined;
    if (pixels.length !== ok * size) return undefined;
    return { meta, pixels };
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

/** Decodes `files` to `shape` (undefined for an unreadable file), through the cache if given. */
export async function decodeFiles(
  files: readonly string[],
  shape: ImageShape,
  opts: DecodeOptions = {},
): Promise<(Uint8Array | undefined)[]> {
  const size = shape[0] * shape[1] * shape[2];
  const key = opts.cacheDir ? decodeCacheKey(files, shape) : '';
  const hit = opts.cacheDir ? readEntry(opts.cacheDir, key, files.length, size) : undefined;
  if (hit) {
    let offset = 0;
    return hit.meta.errors.map((err, i) => {
      if (err !== null) {
        opts.warn?.(`skipping unreadable image ${files[i]}: ${err}`);
        return undefined;
      }
      offset += size;
      return hit.pixels.subarray(offset - size, offset);
    });
  }
  const errors: (string | null)[] = files.map(() => null);
  const decoded = await mapLimit(files, opts.concurrency ?? 8, async (f, i) => {
    try {
      return await decodeImage(f, shape);
    } catch (err) {
      errors[i] = (err as Error).message;
      opts.warn?.(`skipping unreadable image ${f}: ${errors[i]}`);
      return undefined;
    }
  });
  if (opts.cacheDir) {
    const kept = decoded.filter((d): d is Uint8Array => d !== undefined);
    const pixels = new Uint8Array(kept.length * size);
    kept.forEach((d, j) => pixels.set(d, j * size));
    writeEntry(opts.cacheDir, key, { version: DECODER_VERSION, shape: [...shape], errors }, pixels);
  }
  return decoded;
}
