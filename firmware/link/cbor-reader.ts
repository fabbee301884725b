/**
 * A small CBOR (RFC 8949) decoder for the microcontroller: what the gateway sends a node
 * (commands, time and place) is a few dozen bytes of arrays, maps with text keys, integers,
 * floats, text and booleans. Everything else (byte strings, tags, indefinite lengths, 64-bit
 * integers beyond 2^53) is refused, and so is anything deeper or longer than the limits below:
 * a corrupt or hostile payload costs a bounded amount of RAM and time and ends in an error
 * message, never an exception out of the link.
 */

export type CborValue = number | string | boolean | null | CborValue[] | { [key: string]: CborValue };

export interface CborResult {
  /** The decoded value; undefined when `error` is set. */
  value: CborValue | undefined;
  /** What was wrong and at which byte, or '' on success. */
  error: string;
}

const MAX_DEPTH = 4;
const MAX_ITEMS = 32;
const MAX_TEXT = 128;

class Reader {
  pos = 0;
  error = '';
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(message: string): undefined {
    if (this.error === '') this.error = message + ' at byte ' + this.pos;
    return undefined;
  }

  /** The argument of a head whose additional info is `info`; -1 after a failure. */
  argument(info: number): number {
    const b = this.bytes;
    if (info < 24) return info;
    const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
    if (size === 0) {
      this.fail('unsupported length (indefinite or reserved)');
      return -1;
    }
    if (this.pos + size > b.length) {
      this.fail('truncated head');
      return -1;
    }
    let v = 0;
    for (let i = 0; i < size; i++) v = v * 256 + b[this.pos + i];
    this.pos += size;
    if (v > 9007199254740991) {
      this.fail('integer beyond 2^53');
      return -1;
    }
    return v;
  }

  float(info: number): number | undefined {
    const size = info === 25 ? 2 : info === 26 ? 4 : 8;
    if (this.pos + size > this.bytes.length) return this.fail('truncated float');
    const at = this.pos;
    this.pos += size;
    if (size === 4) return this.view.getFloat32(at);
    if (size === 8) return this.view.getFloat64(at);
    // half precision, RFC 8949 appendix D
    const half = this.view.getUint16(at);
    const exp = (half >> 10) & 0x1f;
    const mant = half & 0x3ff;
    let v;
    if (exp === 0) v = mant * Math.pow(2, -24);
    else if (exp !== 31) v = (mant + 1024) * Math.pow(2, exp - 25);
    else v = mant === 0 ? Infinity : NaN;
    return half & 0x8000 ? -v : v;
  }

  text(length: number): string | undefined {
    if (length > MAX_TEXT) return this.fail('text longer than ' + MAX_TEXT + ' bytes');
    if (this.pos + length > this.bytes.length) return this.fail('truncated text');
    const end = this.pos + length;
    let s = '';
    while (this.pos < end) {
      const c = this.bytes[this.pos++];
      if (c < 0x80) {
        s += String.fromCharCode(c);
        continue;
      }
      // UTF-8: a lead byte and 1..3 continuation bytes
      const extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : -1;
      if (extra < 0 || this.pos + extra > end) return this.fail('invalid UTF-8');
      let cp = c & (0x3f >> extra);
      for (let i = 0; i < extra; i++) {
        const cont = this.bytes[this.pos++];
        if ((cont & 0xc0) !== 0x80) return this.fail('invalid UTF-8');
        cp = cp * 64 + (cont & 0x3f);
      }
      if (cp > 0xffff) {
        cp -= 0x10000;
        s += String.fromCharCode(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
      } else {
        s += String.fromCharCode(cp);
      }
    }
    return s;
  }

  value(depth: number): CborValue | undefined {
    if (this.pos >= this.bytes.length) return this.fail('truncated');
    const initial = this.bytes[this.pos++];
    const major = initial >> 5;
    const info = initial & 0x1f;
    if (major === 7) {
      if (info === 20) return false;
      if (info === 21) return true;
      if (info === 22) return null;
      if (info >= 25 && info <= 27) return this.float(info);
      return this.fail('unsupported simple value ' + info);
    }
    const arg = this.argument(info);
    if (arg < 0) return undefined;
    if (major === 0) return arg;
    if (major === 1) return -1 - arg;
    if (major === 3) return this.text(arg);
    if (major !== 4 && major !== 5) return this.fail('unsupported major type ' + major);
    if (depth >= MAX_DEPTH) return this.fail('nested deeper than ' + MAX_DEPTH);
    if (arg > MAX_ITEMS) return this.fail('more than ' + MAX_ITEMS + ' items');
    // Each item takes at least one byte: a count beyond what is left is a lie, refused before
    // anything is allocated for it.
    if (arg > this.bytes.length - this.pos) return this.fail('truncated');
    if (major === 4) {
      const list: CborValue[] = [];
      for (let i = 0; i < arg; i++) {
        const item = this.value(depth + 1);
        if (item === undefined) return undefined;
        list.push(item);
      }
      return list;
    }
    const map: { [key: string]: CborValue } = {};
    for (let i = 0; i < arg; i++) {
      const keyHead = this.bytes[this.pos];
      if (keyHead === undefined || keyHead >> 5 !== 3) return this.fail('map keys must be text');
      const key = this.value(depth + 1);
      if (key === undefined) return undefined;
      const item = this.value(depth + 1);
      if (item === undefined) return undefined;
      map[key as string] = item;
    }
    return map;
  }
}

/** Decodes exactly one CBOR item filling `bytes`. */
export function decodeCbor(bytes: Uint8Array): CborResult {
  const r = new Reader(bytes);
  const value = r.value(0);
  if (value !== undefined && r.pos !== bytes.length) r.fail('trailing bytes');
  if (r.error !== '') return { value: undefined, error: r.error };
  return { value: value, error: '' };
}
