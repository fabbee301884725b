/**
 * CBOR inputs for decoders: random bytes, well-formed items drawn around a vocabulary (the keys
 * and small integers a message format uses, so the decoder's checks past the CBOR are reached),
 * and those items mutated byte by byte.
 */
import fc from 'fast-check';
import { encodeItem, type CborItem } from './cbor-item.js';
import { mutatedBytes } from './mutate.js';

export interface Vocabulary {
  /** Text the format uses: map keys, names, enum values. */
  texts: readonly string[];
  /** Small integers the format uses: message types, indexes, codes. */
  ints: readonly number[];
}

const ATTACK_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'length', ''];

export function cborItem(vocab: Vocabulary, maxDepth = 5): fc.Arbitrary<CborItem> {
  const texts = [...vocab.texts, ...ATTACK_KEYS];
  const uint = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...vocab.ints.filter((n) => n >= 0).map(BigInt), 0n, 1n, 23n, 24n, 255n, 65535n) },
    { weight: 2, arbitrary: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) },
    { weight: 1, arbitrary: fc.constantFrom(2n ** 32n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 64n - 1n, 8640000000000001n) },
  );
  const text = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...texts) }, { weight: 1, arbitrary: fc.string({ maxLength: 40, unit: 'grapheme' }) });
  const leaf: fc.Arbitrary<CborItem> = fc.oneof(
    { weight: 5, arbitrary: uint.map((v): CborItem => ({ k: 'uint', v })) },
    { weight: 2, arbitrary: uint.map((v): CborItem => ({ k: 'nint', v })) },
    { weight: 5, arbitrary: fc.tuple(text, fc.boolean()).map(([v, indef]): CborItem => ({ k: 'text', v, indef: indef && v.length % 7 === 0 })) },
    { weight: 1, arbitrary: fc.tuple(fc.uint8Array({ maxLength: 24 }), fc.boolean()).map(([v, indef]): CborItem => ({ k: 'bytes', v, indef })) },
    { weight: 2, arbitrary: fc.constantFrom(20, 21, 22, 23, 0, 19, 24, 31, 255).map((v): CborItem => ({ k: 'simple', v })) },
    { weight: 2, arbitrary: fc.tuple(fc.double(), fc.constantFrom(2 as const, 4 as const, 8 as const)).map(([v, size]): CborItem => ({ k: 'float', v, size })) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 9 }).map((v): CborItem => ({ k: 'raw', v })) },
  );
  const { item } = fc.letrec<{ item: CborItem; array: CborItem; map: CborItem; tag: CborItem }>((tie) => ({
    item: fc.oneof({ maxDepth, depthIdentifier: 'cbor', withCrossShrink: true }, leaf, tie('array'), tie('map'), tie('tag')),
    array: fc.tuple(fc.array(tie('item'), { maxLength: 7, depthIdentifier: 'cbor' }), fc.nat(9))
      .map(([v, r]): CborItem => ({ k: 'array', v, indef: r === 0 })),
    map: fc.tuple(fc.array(fc.tuple(fc.oneof({ weight: 6, arbitrary: text.map((v): CborItem => ({ k: 'text', v })) }, { weight: 1, arbitrary: leaf }), tie('item')), { maxLength: 7, depthIdentifier: 'cbor' }), fc.nat(9))
      .map(([v, r]): CborItem => ({ k: 'map', v, indef: r === 0 })),
    tag: fc.tuple(fc.oneof(fc.constantFrom(0n, 1n, 2n, 3n, 4n, 5n, 21n, 24n, 25n, 26n, 27n, 28n, 29n, 32n, 40n, 64n, 72n, 81n, 86n, 105n, 256n, 258n, 259n, 55799n, 0xffffffffn, 2n ** 64n - 1n), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })), tie('item'))
      .map(([tag, v]): CborItem => ({ k: 'tag', tag, v })),
  }));
  return item;
}

/** Bytes for a CBOR decoder: one third random, one third well-formed items, one third mutated items. */
export function cborBytes(vocab: Vocabulary, wellFormed?: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  const items = cborItem(vocab).map(encodeItem);
  const good = wellFormed ? fc.oneof(items, wellFormed) : items;
  return fc.oneof(fc.uint8Array({ maxLength: 256 }), good, mutatedBytes(good));
}
