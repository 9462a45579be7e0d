import { openZip } from './zip';
import { unpickleAt, type PyGlobal, type PyValue, type UnpickleHooks } from './pickle';

/** One tensor of a PyTorch state_dict, contiguous, in row-major order. */
export interface TorchTensor {
  shape: number[];
  dtype: 'float32' | 'int64';
  /** float32 values, or int64 values as Numbers (e.g. BatchNorm's num_batches_tracked). */
  data: Float32Array | Float64Array;
}

export type StateDict = Map<string, TorchTensor>;

const STORAGE_TYPES: Record<string, { dtype: TorchTensor['dtype']; bytes: number }> = {
  FloatStorage: { dtype: 'float32', bytes: 4 },
  LongStorage: { dtype: 'int64', bytes: 8 },
};

/** A storage named in the pickle; its values are read once the pickle is done. */
interface Storage {
  key: string;
  type: { dtype: TorchTensor['dtype']; bytes: number };
  values?: Float32Array | Float64Array;
}

/** A tensor as `_rebuild_tensor_v2` describes it, materialised after the storages are read. */
interface TensorView {
  storage: Storage;
  offset: number;
  size: number[];
  stride: number[];
}

function decodeStorage(raw: Buffer, s: Storage): void {
  const n = Math.floor(raw.length / s.type.bytes);
  // Storages are little-endian; reading element by element also copes with odd alignment.
  if (s.type.dtype === 'float32') {
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = raw.readFloatLE(i * 4);
    s.values = values;
  } else {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = Number(raw.readBigInt64LE(i * 8));
    s.values = values;
  }
}

function materialise({ storage, offset, size, stride }: TensorView): TorchTensor {
  const src = storage.values!;
  const count = size.reduce((a, b) => a * b, 1);
  const data = storage.type.dtype === 'float32' ? new Float32Array(count) : new Float64Array(count);
  const index = new Array<number>(size.length).fill(0);
  for (let i = 0; i < count; i++) {
    let at = offset;
    for (let d = 0; d < size.length; d++) at += index[d]! * stride[d]!;
    data[i] = src[at]!;
    for (let d = size.length - 1; d >= 0; d--) {
      if (++index[d]! < size[d]!) break;
      index[d] = 0;
    }
  }
  return { shape: [...size], dtype: storage.type.dtype, data };
}

/** Hooks that turn torch's pickled tensors into {@link TensorView}s over named storages. */
function torchHooks(file: string, storages: Map<string, Storage>): UnpickleHooks {
  return {
    persistentLoad(pid) {
      const [kind, type, key, , , view] = pid as [
        string,
        PyGlobal,
        string,
        string,
        number,
        unknown,
      ];
      if (kind !== 'storage') throw new Error(`${file}: unknown persistent id ${kind}`);
      if (view) throw new Error(`${file}: storage views are not supported`);
      const t = STORAGE_TYPES[type.name];
      if (!t) throw new Error(`${file}: unsupported tensor storage torch.${type.name}`);
      if (!storages.has(key)) storages.set(key, { key, type: t });
      return storages.get(key);
    },
    reduce(fn, args) {
      const name = `${fn.module}.${fn.name}`;
      if (name === 'torch._utils._rebuild_tensor_v2') {
        const [storage, offset, size, stride] = args as [Storage, number, number[], number[]];
        return { storage, offset, size, stride } satisfies TensorView;
      }
      if (name === 'collections.OrderedDict') return new Map();
      throw new Error(`${file}: unsupported object ${name} in the pickle`);
    },
  };
}

function toStateDict(value: PyValue, file: string): StateDict {
  if (!(value instanceof Map)) throw new Error(`${file}: the pickle is not a state_dict`);
  const out: StateDict = new Map();
  for (const [k, v] of value) {
    if (typeof k === 'string' && v && typeof v === 'object' && 'storage' in v) {
      out.set(k, materialise(v as TensorView));
    }
  }
  return out;
}

/** The zip format of PyTorch ≥ 1.6: `<root>/data.pkl` plus `<root>/data/<key>` per storage. */
function readZipCheckpoint(pth: Buffer, file: string): StateDict {
  const zip = openZip(pth, file);
  const pkl = zip.names().find((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (!pkl) throw new Error(`${file}: no data.pkl (not a PyTorch zip checkpoint)`);
  const root = pkl.slice(0, -'data.pkl'.length);
  const storages = new Map<string, Storage>();
  const { value } = unpickleAt(zip.read(pkl), 0, torchHooks(file, storages));
  for (const s of storages.values()) decodeStorage(zip.read(`${root}data/${s.key}`), s);
  return toStateDict(value, file);
}

/**
 * The legacy format (PyTorch < 1.6): five pickles (magic number, protocol version, system info,
 * the object, the storage keys), then per key an int64 element count and the raw elements.
 */
function readLegacyCheckpoint(pth: Buffer, file: string): StateDict {
  const none = { reduce: () => null };
  let at = 0;
  for (let i = 0; i < 3; i++) at = unpickleAt(pth, at, none).end;
  const storages = new Map<string, Storage>();
  const obj = unpickleAt(pth, at, torchHooks(file, storages));
  const keys = unpickleAt(pth, obj.end, none);
  at = keys.end;
  for (const key of keys.value as string[]) {
    const s = storages.get(key);
    if (!s) throw new Error(`${file}: storage ${key} is not used by the pickle`);
    const n = Number(pth.readBigInt64LE(at));
    decodeStorage(pth.subarray(at + 8, at + 8 + n * s.type.bytes), s);
    at += 8 + n * s.type.bytes;
  }
  return toStateDict(obj.value, file);
}

/** Reads a state_dict saved by `torch.save` (zip or legacy format) without PyTorch. */
export function readStateDict(pth: Buffer, file = 'state_dict'): StateDict {
  if (pth.length < 4) throw new Error(`${file}: too short to be a PyTorch checkpoint`);
  if (pth.readUInt32LE(0) === 0x04034b50) return readZipCheckpoint(pth, file);
  // A legacy checkpoint starts with a pickled magic number: PROTO 2, LONG1.
  if (pth[0] === 0x80 && pth[2] === 0x8a) return readLegacyCheckpoint(pth, file);
  throw new Error(`${file} is not a PyTorch checkpoint (neither a zip nor a legacy pickle)`);
}
