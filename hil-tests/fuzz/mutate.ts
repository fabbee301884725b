/**
 * Byte and text mutations: what a noisy line, a truncated file or a hostile sender does to a
 * well-formed input. Each arbitrary takes well-formed inputs and applies a few of them.
 */
import fc from 'fast-check';

/** Bytes that change a CBOR head's meaning: break, indefinite starts, 8-byte lengths, tags, simple values. */
export const INTERESTING_BYTES = [0x00, 0xff, 0x1f, 0x3f, 0x5f, 0x7f, 0x9f, 0xbf, 0xdf, 0xfe, 0x1b, 0x5b, 0x7b, 0x9b, 0xbb, 0xdb, 0xfb, 0xf9, 0xf8, 0x80, 0x81, 0xa1, 0xc0, 0xc2, 0xd8, 0x18, 0x7f];

type ByteMutation = (b: number[]) => number[];

const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, v]): ByteMutation => (b) => (b.length ? b.map((x, i) => (i === at % b.length ? v : x)) : [v])),
  fc.tuple(fc.nat(), fc.constantFrom(...INTERESTING_BYTES)).map(([at, v]): ByteMutation => (b) => (b.length ? b.map((x, i) => (i === at % b.length ? v : x)) : [v])),
  fc.tuple(fc.nat(), fc.nat(7)).map(([at, bit]): ByteMutation => (b) => b.map((x, i) => (i === at % Math.max(1, b.length) ? x ^ (1 << bit) : x))),
  fc.nat().map((at): ByteMutation => (b) => b.slice(0, at % (b.length + 1))),
  fc.tuple(fc.nat(), fc.uint8Array({ maxLength: 9 })).map(([at, ins]): ByteMutation => (b) => {
    const i = at % (b.length + 1);
    return [...b.slice(0, i), ...ins, ...b.slice(i)];
  }),
  fc.tuple(fc.nat(), fc.nat(16)).map(([at, n]): ByteMutation => (b) => {
    const i = at % (b.length + 1);
    return [...b.slice(0, i), ...b.slice(i + n)];
  }),
  fc.tuple(fc.nat(), fc.nat(32)).map(([at, n]): ByteMutation => (b) => {
    const i = at % (b.length + 1);
    return [...b.slice(0, i + n), ...b.slice(i, i + n), ...b.slice(i + n)];
  }),
);

export function mutatedBytes(base: fc.Arbitrary<Uint8Array>, max = 4): fc.Arbitrary<Uint8Array> {
  return fc.tuple(base, fc.array(byteMutation, { minLength: 1, maxLength: max }))
    .map(([b, ms]) => Uint8Array.from(ms.reduce((acc, m) => m(acc), Array.from(b))));
}

/** Pieces that make YAML and JSON parsers and the validators behind them work hard. */
export const INTERESTING_TEXT = [
  '\n', ': ', '- ', '{', '}', '[', ']', '"', "'", '&a ', '*a', '!!binary ', '!!js/function ', '<<: *a', '? ', '|', '>', '#', '---\n', '...\n', '%YAML 1.2\n',
  '\t', '\u0000', '\ufeff', '\ud800', '1e400', '-0', '0x1F', '.inf', '.nan', '99999999999999999999999', 'null', '~', 'true', 'yes',
  '__proto__', 'constructor', 'prototype', '"__proto__": ', '__proto__: ', 'constructor: { prototype: { polluted: 1 } }',
];

type TextMutation = (s: string) => string;

const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.constantFrom(...INTERESTING_TEXT)).map(([at, t]): TextMutation => (s) => {
    const i = at % (s.length + 1);
    return s.slice(0, i) + t + s.slice(i);
  }),
  fc.tuple(fc.nat(), fc.string({ maxLength: 8, unit: 'binary' })).map(([at, t]): TextMutation => (s) => {
    const i = at % (s.length + 1);
    return s.slice(0, i) + t + s.slice(i);
  }),
  fc.tuple(fc.nat(), fc.nat(24)).map(([at, n]): TextMutation => (s) => {
    const i = at % (s.length + 1);
    return s.slice(0, i) + s.slice(i + n);
  }),
  fc.nat().map((at): TextMutation => (s) => s.slice(0, at % (s.length + 1))),
  fc.tuple(fc.nat(), fc.nat(40)).map(([at, n]): TextMutation => (s) => {
    const i = at % (s.length + 1);
    return s.slice(0, i + n) + s.slice(i, i + n) + s.slice(i + n);
  }),
  fc.tuple(fc.nat(), fc.nat(), fc.nat(30)).map(([a, b, n]): TextMutation => (s) => {
    // move a piece elsewhere: keeps the vocabulary, breaks the structure
    const i = a % (s.length + 1);
    const piece = s.slice(i, i + n);
    const rest = s.slice(0, i) + s.slice(i + n);
    const j = b % (rest.length + 1);
    return rest.slice(0, j) + piece + rest.slice(j);
  }),
);

export function mutatedText(base: fc.Arbitrary<string>, max = 4): fc.Arbitrary<string> {
  return fc.tuple(base, fc.array(textMutation, { minLength: 1, maxLength: max })).map(([s, ms]) => ms.reduce((acc, m) => m(acc), s));
}
