import { gunzipSync } from 'node:zlib';

/**
 * The members of a gzipped tar (an npm package tarball) whose names `want` accepts, as bytes.
 * Plain files only: ustar headers with octal sizes, enough for `npm pack` output.
 */
export function readTgz(tgz: Buffer, want: (name: string) => boolean): Map<string, Buffer> {
  const tar = gunzipSync(tgz);
  const out = new Map<string, Buffer>();
  let p = 0;
  while (p + 512 <= tar.length && tar[p] !== 0) {
    const field = (at: number, len: number) =>
      tar.toString('latin1', p + at, p + at + len).replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    if (Number.isNaN(size)) throw new Error(`tar: bad size in the header of ${name}`);
    if (type === '0' && want(name)) out.set(name, tar.subarray(p + 512, p + 512 + size));
    p += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}
