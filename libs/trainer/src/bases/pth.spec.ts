import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { unpickle } from './pickle';
import { readStateDict } from './pth';
import { openZip } from './zip';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const noReduce = {
  reduce: () => {
    throw new Error('no reduce expected');
  },
};

describe.each(['tiny.pth', 'tiny-legacy.pth'])('readStateDict (fixtures/%s)', (file) => {
  // Both written by fixtures/make-tiny-pth.py: the zip format and the legacy one.
  const sd = readStateDict(fixture(file), file);

  it('reads every tensor with its shape, in the order of the state_dict', () => {
    expect([...sd.keys()]).toEqual([
      'conv.weight',
      'fc.weight',
      'fc.bias',
      'bn.num_batches_tracked',
    ]);
    expect(sd.get('conv.weight')!.shape).toEqual([2, 3, 1, 2]);
    expect([...sd.get('conv.weight')!.data]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('honours strides and storage offsets of views', () => {
    expect([...sd.get('fc.weight')!.data]).toEqual([0, 3, 1, 4, 2, 5]);
    expect([...sd.get('fc.bias')!.data]).toEqual([9, 10, 11]);
  });

  it('reads int64 storages', () => {
    const t = sd.get('bn.num_batches_tracked')!;
    expect(t).toMatchObject({ dtype: 'int64', shape: [] });
    expect([...t.data]).toEqual([7]);
  });
});

it('readStateDict rejects files that are not PyTorch checkpoints', () => {
  expect(() => readStateDict(Buffer.from('hello'), 'x.pth')).toThrow(/x.pth is not a PyTorch/);
  expect(() => readStateDict(Buffer.from([0x50, 0x4b, 3, 4, 0]), 'x.pth')).toThrow(
    /x.pth: not a zip/,
  );
});

describe('unpickle', () => {
  it('decodes constants, containers and the memo', () => {
    // protocol 2: (1, -2, 3.5, 'é', [True, None], {'k': 2**40}) with a memoised string
    const bytes = Buffer.concat([
      Buffer.from([0x80, 2, 0x28, 0x4b, 1, 0x4a]),
      Buffer.from(new Int32Array([-2]).buffer),
      Buffer.from([0x47, 0x40, 0x0c, 0, 0, 0, 0, 0, 0]),
      Buffer.from([0x58, 2, 0, 0, 0, 0xc3, 0xa9, 0x71, 0]),
      Buffer.from([0x5d, 0x28, 0x88, 0x4e, 0x65, 0x7d, 0x68, 0]),
      Buffer.from([0x8a, 6, 0, 0, 0, 0, 0, 1, 0x73, 0x74, 0x2e]),
    ]);
    expect(unpickle(bytes, noReduce)).toEqual([
      1,
      -2,
      3.5,
      'é',
      [true, null],
      new Map([['é', 2 ** 40]]),
    ]);
  });

  it('names an opcode it does not support', () => {
    expect(() => unpickle(Buffer.from([0x80, 2, 0x46]), noReduce)).toThrow(/opcode 0x46 at byte 2/);
  });

  it('hands GLOBAL + REDUCE to the hook', () => {
    const bytes = Buffer.from('\x80\x02cmod\nfn\nK\x05\x85R.', 'latin1');
    const calls: unknown[] = [];
    const out = unpickle(bytes, {
      reduce: (fn, args) => {
        calls.push([fn, args]);
        return 'built';
      },
    });
    expect(out).toBe('built');
    expect(calls).toEqual([[{ module: 'mod', name: 'fn' }, [5]]]);
  });
});

describe('openZip', () => {
  it('reads deflated members (as in wheels)', () => {
    const data = Buffer.from('x'.repeat(100));
    const zip = openZip(deflatedZip('a/b.txt', data));
    expect(zip.names()).toEqual(['a/b.txt']);
    expect(zip.read('a/b.txt').toString()).toBe(data.toString());
    expect(() => zip.read('nope')).toThrow(/no member nope/);
  });
});

/** A one-member zip with a deflated entry, written by hand. */
function deflatedZip(name: string, data: Buffer): Buffer {
  const comp = deflateRawSync(data);
  const nameBuf = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(comp.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBuf.length, 26);
  const cen = Buffer.alloc(46);
  cen.writeUInt32LE(0x02014b50, 0);
  cen.writeUInt16LE(8, 10);
  cen.writeUInt32LE(comp.length, 20);
  cen.writeUInt32LE(data.length, 24);
  cen.writeUInt16LE(nameBuf.length, 28);
  cen.writeUInt32LE(0, 42);
  const cenOffset = local.length + nameBuf.length + comp.length;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(cen.length + nameBuf.length, 12);
  eocd.writeUInt32LE(cenOffset, 16);
  return Buffer.concat([local, nameBuf, comp, cen, nameBuf, eocd]);
}
