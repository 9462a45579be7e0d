import { inflateRawSync } from 'node:zlib';

/**
 * A minimal reader for the zip archives Retune opens itself: PyPI wheels and PyTorch's `.pth`
 * files (a zip of a pickle plus raw tensor storages). Stored and deflated members, no zip64,
 * no encryption — enough for those two, and a clear error for anything else.
 */
export interface ZipArchive {
  names(): string[];
  /** The member's bytes (inflated); throws naming the member when it is missing. */
  read(name: string): Buffer;
}

const EOCD_SIG = 0x06054b50;
const CEN_SIG = 0x02014b50;
const LOC_SIG = 0x04034b50;

interface Entry {
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function findEndOfCentralDirectory(buf: Buffer, label: string): number {
  // The EOCD record is 22 bytes plus a comment of at most 65,535 bytes at the end.
  const stop = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= stop && i >= 0; i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG) return i;
  }
  throw new Error(`${label}: not a zip archive (no end-of-central-directory record)`);
}

export function openZip(buf: Buffer, label = 'archive'): ZipArchive {
  const eocd = findEndOfCentralDirectory(buf, label);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  if (p === 0xffffffff || count === 0xffff) throw new Error(`${label}: zip64 is not supported`);
  const entries = new Map<string, Entry>();
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== CEN_SIG) throw new Error(`${label}: corrupt central directory`);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    entries.set(buf.toString('utf8', p + 46, p + 46 + nameLen), {
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return {
    names: () => [...entries.keys()],
    read(name) {
      const e = entries.get(name);
      if (!e) throw new Error(`${label} has no member ${name}`);
      const loc = e.localOffset;
      if (buf.readUInt32LE(loc) !== LOC_SIG) throw new Error(`${label}: corrupt entry ${name}`);
      const start = loc + 30 + buf.readUInt16LE(loc + 26) + buf.readUInt16LE(loc + 28);
      const raw = buf.subarray(start, start + e.compressedSize);
      const data = e.method === 0 ? raw : e.method === 8 ? inflateRawSync(raw) : undefined;
      if (!data) throw new Error(`${label}: member ${name} uses zip method ${e.method}`);
      if (data.length !== e.size) throw new Error(`${label}: member ${name} is truncated`);
      return data;
    },
  };
}
