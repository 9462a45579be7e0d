/**
 * A minimal Python unpickler (protocols 2–5) for what PyTorch's `torch.save` writes into a
 * state_dict: dicts, lists, tuples, numbers, strings, `GLOBAL` references, `REDUCE` calls and
 * persistent ids (tensor storages). It evaluates nothing: a `GLOBAL` becomes a {@link PyGlobal}
 * and `REDUCE`/`BUILD` are handed to the caller's hooks, which decide what to build.
 */
export interface PyGlobal {
  readonly module: string;
  readonly name: string;
}

/** Python dicts become Maps (keys may be any value); tuples and lists become arrays. */
export type PyValue = unknown;

export interface UnpickleHooks {
  /** A `REDUCE`/`NEWOBJ` of `callable(*args)`; throw for callables you do not expect. */
  reduce(callable: PyGlobal, args: PyValue[]): PyValue;
  /** A persistent id (`BINPERSID`), e.g. PyTorch's ('storage', type, key, location, numel). */
  persistentLoad?(pid: PyValue): PyValue;
  /** `BUILD` (obj.__setstate__(state)); the default ignores the state. */
  build?(obj: PyValue, state: PyValue): PyValue;
}

const MARK = Symbol('mark');

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}
  byte(): number {
    if (this.pos >= this.buf.length) throw new Error('pickle: unexpected end of data');
    return this.buf[this.pos++]!;
  }
  bytes(n: number): Buffer {
    if (this.pos + n > this.buf.length) throw new Error('pickle: unexpected end of data');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  u16 = () => this.bytes(2).readUInt16LE(0);
  u32 = () => this.bytes(4).readUInt32LE(0);
  i32 = () => this.bytes(4).readInt32LE(0);
  u64 = () => Number(this.bytes(8).readBigUInt64LE(0));
  line(): string {
    const end = this.buf.indexOf(0x0a, this.pos);
    if (end < 0) throw new Error('pickle: unterminated line');
    const s = this.buf.toString('latin1', this.pos, end);
    this.pos = end + 1;
    return s;
  }
}

/** Little-endian two's-complement integer of LONG1/LONG4 (Number when it fits, else BigInt). */
function decodeLong(b: Buffer): number | bigint {
  if (b.length === 0) return 0;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  if (b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : v;
}

/** Opcodes that push one constant read from the stream; undefined when `op` is not one. */
function readConstant(op: number, r: Reader): { value: PyValue } | undefined {
  switch (op) {
    case 0x4e:
      return { value: null }; // N NONE
    case 0x88:
      return { value: true }; // NEWTRUE
    case 0x89:
      return { value: false }; // NEWFALSE
    case 0x4a:
      return { value: r.i32() }; // J BININT
    case 0x4b:
      return { value: r.byte() }; // K BININT1
    case 0x4d:
      return { value: r.u16() }; // M BININT2
    case 0x8a:
      return { value: decodeLong(r.bytes(r.byte())) }; // LONG1
    case 0x8b:
      return { value: decodeLong(r.bytes(r.i32())) }; // LONG4
    case 0x47:
      return { value: r.bytes(8).readDoubleBE(0) }; // G BINFLOAT
    case 0x58:
      return { value: r.bytes(r.u32()).toString('utf8') }; // X BINUNICODE
    case 0x8c:
      return { value: r.bytes(r.byte()).toString('utf8') }; // SHORT_BINUNICODE
    case 0x8d:
      return { value: r.bytes(r.u64()).toString('utf8') }; // BINUNICODE8
    case 0x55:
      return { value: r.bytes(r.byte()).toString('latin1') }; // U SHORT_BINSTRING
    case 0x54:
      return { value: r.bytes(r.i32()).toString('latin1') }; // T BINSTRING
    case 0x43:
      return { value: Buffer.from(r.bytes(r.byte())) }; // C SHORT_BINBYTES
    case 0x42:
      return { value: Buffer.from(r.bytes(r.u32())) }; // B BINBYTES
    case 0x8e:
      return { value: Buffer.from(r.bytes(r.u64())) }; // BINBYTES8
    case 0x7d:
      return { value: new Map() }; // } EMPTY_DICT
    case 0x5d:
      return { value: [] }; // ] EMPTY_LIST
    case 0x29:
      return { value: [] }; // ) EMPTY_TUPLE
    case 0x8f:
      return { value: new Set() }; // EMPTY_SET
    default:
      return undefined;
  }
}

class Machine {
  stack: PyValue[] = [];
  memo = new Map<number, PyValue>();
  constructor(
    private readonly r: Reader,
    private readonly hooks: UnpickleHooks,
  ) {}

  pop(): PyValue {
    if (this.stack.length === 0) throw new Error('pickle: stack underflow');
    return this.stack.pop();
  }
  top(): PyValue {
    return this.stack[this.stack.length - 1];
  }
  popMark(): PyValue[] {
    const i = this.stack.lastIndexOf(MARK);
    if (i < 0) throw new Error('pickle: MARK expected');
    const items = this.stack.slice(i + 1);
    this.stack.length = i;
    return items;
  }
  setItems(dict: PyValue, items: PyValue[]): void {
    if (!(dict instanceof Map)) throw new Error('pickle: SETITEM on a non-dict');
    for (let i = 0; i + 1 < items.length; i += 2) dict.set(items[i], items[i + 1]);
  }
  get(key: number): PyValue {
    if (!this.memo.has(key)) throw new Error(`pickle: memo ${key} is missing`);
    return this.memo.get(key);
  }

  /** Runs one structural opcode; false when `op` is unknown. */
  step(op: number): boolean {
    const { r, hooks } = this;
    switch (op) {
      case 0x28:
        this.stack.push(MARK);
        break; // ( MARK
      case 0x74:
        this.stack.push(this.popMark());
        break; // t TUPLE
      case 0x6c:
        this.stack.push(this.popMark());
        break; // l LIST
      case 0x85:
        this.stack.push([this.pop()]);
        break; // TUPLE1
      case 0x86: {
        const b = this.pop();
        this.stack.push([this.pop(), b]);
        break;
      } // TUPLE2
      case 0x87: {
        const c = this.pop(),
          b = this.pop();
        this.stack.push([this.pop(), b, c]);
        break;
      }
      case 0x64: {
        const m = new Map();
        this.setItems(m, this.popMark());
        this.stack.push(m);
        break;
      }
      case 0x61: {
        const v = this.pop();
        (this.top() as PyValue[]).push(v);
        break;
      } // a APPEND
      case 0x65: {
        const v = this.popMark();
        (this.top() as PyValue[]).push(...v);
        break;
      }
      case 0x73: {
        const v = this.pop(),
          k = this.pop();
        this.setItems(this.top(), [k, v]);
        break;
      }
      case 0x75: {
        const items = this.popMark();
        this.setItems(this.top(), items);
        break;
      }
      case 0x90: {
        const v = this.popMark();
        for (const x of v) (this.top() as Set<PyValue>).add(x);
        break;
      }
      case 0x63: {
        const module = r.line();
        this.stack.push({ module, name: r.line() });
        break;
      }
      case 0x93: {
        const name = this.pop() as string;
        this.stack.push({ module: this.pop() as string, name });
        break;
      }
      case 0x52: // R REDUCE
      case 0x81: {
        // NEWOBJ
        const args = this.pop() as PyValue[];
        this.stack.push(hooks.reduce(this.pop() as PyGlobal, args));
        break;
      }
      case 0x62: {
        const state = this.pop();
        const obj = this.pop();
        this.stack.push(hooks.build ? hooks.build(obj, state) : obj);
        break;
      }
      case 0x51: {
        // Q BINPERSID
        if (!hooks.persistentLoad) throw new Error('pickle: persistent id without a loader');
        this.stack.push(hooks.persistentLoad(this.pop()));
        break;
      }
      case 0x71:
        this.memo.set(r.byte(), this.top());
        break; // q BINPUT
      case 0x72:
        this.memo.set(r.u32(), this.top());
        break; // r LONG_BINPUT
      case 0x94:
        this.memo.set(this.memo.size, this.top());
        break; // MEMOIZE
      case 0x68:
        this.stack.push(this.get(r.byte()));
        break; // h BINGET
      case 0x6a:
        this.stack.push(this.get(r.u32()));
        break; // j LONG_BINGET
      case 0x30:
        this.pop();
        break; // 0 POP
      case 0x31:
        this.popMark();
        break; // 1 POP_MARK
      case 0x32:
        this.stack.push(this.top());
        break; // 2 DUP
      case 0x80:
        r.byte();
        break; // PROTO
      case 0x95:
        r.bytes(8);
        break; // FRAME
      default:
        return false;
    }
    return true;
  }
}

/** Unpickles `data`; throws naming the first opcode it does not support. */
export function unpickle(data: Buffer, hooks: UnpickleHooks): PyValue {
  return unpickleAt(data, 0, hooks).value;
}

/** Unpickles the pickle starting at `offset`; `end` is the offset just after its STOP. */
export function unpickleAt(
  data: Buffer,
  offset: number,
  hooks: UnpickleHooks,
): { value: PyValue; end: number } {
  const r = new Reader(data);
  r.pos = offset;
  const m = new Machine(r, hooks);
  for (;;) {
    const at = r.pos;
    const op = r.byte();
    if (op === 0x2e) return { value: m.pop(), end: r.pos }; // . STOP
    const constant = readConstant(op, r);
    if (constant) m.stack.push(constant.value);
    else if (!m.step(op)) {
      throw new Error(`pickle: unsupported opcode 0x${op.toString(16)} at byte ${at}`);
    }
  }
}
