/**
 * CBOR items as a tree the fuzzer builds and a writer for it that does what no well-behaved
 * encoder does: indefinite lengths, any tag, non-text and repeated map keys, `__proto__` keys,
 * simple values, half floats and heads wider than needed. Decoders are attacked with the bytes.
 */
export type CborItem =
  | { k: 'uint'; v: bigint }
  | { k: 'nint'; v: bigint }
  | { k: 'bytes'; v: Uint8Array; indef?: boolean }
  | { k: 'text'; v: string; indef?: boolean }
  | { k: 'array'; v: CborItem[]; indef?: boolean }
  | { k: 'map'; v: Array<[CborItem, CborItem]>; indef?: boolean }
  | { k: 'tag'; tag: bigint; v: CborItem }
  | { k: 'simple'; v: number }
  | { k: 'float'; v: number; size: 2 | 4 | 8 }
  | { k: 'raw'; v: Uint8Array };

/** A head: major type and argument, in the shortest form or `wide` bytes (1, 2, 4 or 8). */
export function head(major: number, arg: bigint, wide?: 1 | 2 | 4 | 8): number[] {
  const m = major << 5;
  const size = wide ?? (arg < 24n ? 0 : arg < 0x100n ? 1 : arg < 0x10000n ? 2 : arg < 0x100000000n ? 4 : 8);
  if (size === 0) return [m | Number(arg)];
  const out = [m | (size === 1 ? 24 : size === 2 ? 25 : size === 4 ? 26 : 27)];
  for (let i = size - 1; i >= 0; i--) out.push(Number((arg >> BigInt(8 * i)) & 0xffn));
  return out;
}

function write(item: CborItem, out: number[]): void {
  switch (item.k) {
    case 'uint': out.push(...head(0, item.v)); return;
    case 'nint': out.push(...head(1, item.v)); return;
    case 'bytes':
    case 'text': {
      const bytes = item.k === 'text' ? Buffer.from(item.v, 'utf8') : item.v;
      const major = item.k === 'text' ? 3 : 2;
      if (item.indef) {
        out.push((major << 5) | 31, ...head(major, BigInt(bytes.length)), ...bytes, 0xff);
      } else {
        out.push(...head(major, BigInt(bytes.length)), ...bytes);
      }
      return;
    }
    case 'array':
      out.push(...(item.indef ? [0x9f] : head(4, BigInt(item.v.length))));
      for (const x of item.v) write(x, out);
      if (item.indef) out.push(0xff);
      return;
    case 'map':
      out.push(...(item.indef ? [0xbf] : head(5, BigInt(item.v.length))));
      for (const [key, value] of item.v) {
        write(key, out);
        write(value, out);
      }
      if (item.indef) out.push(0xff);
      return;
    case 'tag':
      out.push(...head(6, item.tag));
      write(item.v, out);
      return;
    case 'simple':
      out.push(...(item.v < 24 ? [0xe0 | item.v] : [0xf8, item.v & 0xff]));
      return;
    case 'float': {
      const b = Buffer.alloc(item.size);
      if (item.size === 8) b.writeDoubleBE(item.v);
      else if (item.size === 4) b.writeFloatBE(item.v);
      else b.writeUInt16BE(Math.abs(Math.round(item.v)) & 0xffff);
      out.push(item.size === 8 ? 0xfb : item.size === 4 ? 0xfa : 0xf9, ...b);
      return;
    }
    case 'raw':
      out.push(...item.v);
  }
}

export function encodeItem(item: CborItem): Uint8Array {
  const out: number[] = [];
  write(item, out);
  return Uint8Array.from(out);
}

/** Plain data as CBOR items (what a well-formed sender would write), for templates. */
export function itemOf(value: unknown): CborItem {
  if (value === null) return { k: 'simple', v: 22 };
  if (value === undefined) return { k: 'simple', v: 23 };
  if (typeof value === 'boolean') return { k: 'simple', v: value ? 21 : 20 };
  if (typeof value === 'string') return { k: 'text', v: value };
  if (typeof value === 'bigint') return value >= 0n ? { k: 'uint', v: value } : { k: 'nint', v: -1n - value };
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value >= 0 ? { k: 'uint', v: BigInt(value) } : { k: 'nint', v: BigInt(-1 - value) };
    return { k: 'float', v: value, size: 8 };
  }
  if (value instanceof Uint8Array) return { k: 'bytes', v: value };
  if (Array.isArray(value)) return { k: 'array', v: value.map(itemOf) };
  return { k: 'map', v: Object.entries(value as object).map(([key, v]) => [{ k: 'text', v: key }, itemOf(v)] as [CborItem, CborItem]) };
}
