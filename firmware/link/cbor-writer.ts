/**
 * A small CBOR (RFC 8949) encoder for the microcontroller: integers, floats, text, booleans,
 * null, arrays and maps with text keys, into one fixed buffer (no allocation per value; an
 * overflow is reported, never grown). Definite lengths and shortest heads only, so what it writes
 * is plain CBOR that cbor-x or any decoder reads.
 */
const MAX_SAFE = 9007199254740991;
const TWO_32 = 4294967296;

export class CborWriter {
  private readonly buf: Uint8Array;
  private readonly view: DataView;
  private n = 0;
  private overflowed = false;

  constructor(capacity: number) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  reset(): void {
    this.n = 0;
    this.overflowed = false;
  }

  /** False once a value did not fit: the bytes are then incomplete and must not be sent. */
  ok(): boolean {
    return !this.overflowed;
  }

  /** The encoded bytes so far (a view into the writer's buffer, valid until the next reset). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.n);
  }

  arrayHeader(count: number): void {
    this.head(4, count);
  }

  mapHeader(count: number): void {
    this.head(5, count);
  }

  number(v: number): void {
    if (v % 1 === 0 && v <= MAX_SAFE && v >= -MAX_SAFE) {
      if (v >= 0) this.head(0, v);
      else this.head(1, -1 - v);
      return;
    }
    if (!this.room(9)) return;
    this.buf[this.n] = 0xfb; // float64: exact for every number the device holds
    this.view.setFloat64(this.n + 1, v, false);
    this.n += 9;
  }

  text(s: string): void {
    let bytes = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }
    this.head(3, bytes);
    if (!this.room(bytes)) return;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        this.buf[this.n++] = c;
      } else if (c < 0x800) {
        this.buf[this.n++] = 0xc0 | (c >> 6);
        this.buf[this.n++] = 0x80 | (c & 0x3f);
      } else {
        // Surrogate pairs are written as two 3-byte sequences (CESU-8): device strings are ASCII.
        this.buf[this.n++] = 0xe0 | (c >> 12);
        this.buf[this.n++] = 0x80 | ((c >> 6) & 0x3f);
        this.buf[this.n++] = 0x80 | (c & 0x3f);
      }
    }
  }

  bool(v: boolean): void {
    if (this.room(1)) this.buf[this.n++] = v ? 0xf5 : 0xf4;
  }

  nil(): void {
    if (this.room(1)) this.buf[this.n++] = 0xf6;
  }

  /** Any JSON-like value: number, string, boolean, null, array, object with text keys. */
  value(v: unknown): void {
    if (v === null || v === undefined) this.nil();
    else if (typeof v === 'number') this.number(v);
    else if (typeof v === 'string') this.text(v);
    else if (typeof v === 'boolean') this.bool(v);
    else if (Array.isArray(v)) {
      this.arrayHeader(v.length);
      for (let i = 0; i < v.length; i++) this.value(v[i]);
    } else if (typeof v === 'object') {
      const o = v as { [key: string]: unknown };
      const keys = Object.keys(o);
      this.mapHeader(keys.length);
      for (let i = 0; i < keys.length; i++) {
        this.text(keys[i]);
        this.value(o[keys[i]]);
      }
    } else {
      this.nil();
    }
  }

  private head(major: number, arg: number): void {
    const m = major << 5;
    if (arg < 24) {
      if (this.room(1)) this.buf[this.n++] = m | arg;
    } else if (arg < 0x100) {
      if (!this.room(2)) return;
      this.buf[this.n++] = m | 24;
      this.buf[this.n++] = arg;
    } else if (arg < 0x10000) {
      if (!this.room(3)) return;
      this.buf[this.n++] = m | 25;
      this.view.setUint16(this.n, arg, false);
      this.n += 2;
    } else if (arg < TWO_32) {
      if (!this.room(5)) return;
      this.buf[this.n++] = m | 26;
      this.view.setUint32(this.n, arg, false);
      this.n += 4;
    } else {
      if (!this.room(9)) return;
      this.buf[this.n++] = m | 27;
      this.view.setUint32(this.n, Math.floor(arg / TWO_32), false);
      this.view.setUint32(this.n + 4, arg % TWO_32, false);
      this.n += 8;
    }
  }

  private room(bytes: number): boolean {
    if (this.overflowed || this.n + bytes > this.buf.length) {
      this.overflowed = true;
      return false;
    }
    return true;
  }
}
