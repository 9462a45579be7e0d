import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export interface DatasetFingerprint {
  fileCount: number;
  /** sha256 over the sorted relative paths and the contents of every file. */
  contentHash: string;
}

/** Built-in datasets (`demo:…`) and URLs are not folders: their identity is their name. */
const isNamed = (dataset: string) =>
  /^[a-z][a-z0-9+.-]*:/i.test(dataset) && !/^[a-z]:[\\/]/i.test(dataset);

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) out.push(path);
    }
  };
  await walk(root);
  // Sorted by the portable relative path, so the hash does not depend on readdir order or OS.
  return out
    .map((p) => ({ p, rel: relative(root, p).split(sep).join('/') }))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))
    .map(({ p }) => p);
}

async function hashFile(hash: ReturnType<typeof createHash>, path: string): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

/**
 * What a dataset holds right now. A folder is walked (files only, symlinked folders are not
 * followed); a single file counts as one; a named dataset (`demo:mnist-5-9`, a URL) hashes its
 * name, so it changes only when the name does.
 */
export async function fingerprintDataset(dataset: string): Promise<DatasetFingerprint> {
  const hash = createHash('sha256');
  if (isNamed(dataset)) {
    hash.update(`name\0${dataset}`);
    return { fileCount: 0, contentHash: hash.digest('hex') };
  }
  const info = await stat(dataset);
  const root = info.isDirectory() ? dataset : null;
  const files = root ? await listFiles(root) : [dataset];
  for (const file of files) {
    const rel = root ? relative(root, file).split(sep).join('/') : '';
    const size = (await stat(file)).size;
    // Path and size delimit each file, so moving bytes between files changes the hash.
    hash.update(`${rel}\0${size}\0`);
    await hashFile(hash, file);
  }
  return { fileCount: files.length, contentHash: hash.digest('hex') };
}
