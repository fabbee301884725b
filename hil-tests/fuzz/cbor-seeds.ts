/**
 * CBOR inputs that killed real decoders, and the shapes they generalise to. Every CBOR target
 * tries these first, alone and wrapped in the first item its format expects.
 */
import { encodeItem, itemOf } from './cbor-item.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const repeat = (byte: number, n: number, tail: string): Uint8Array => Uint8Array.from([...new Array<number>(n).fill(byte), ...hex(tail)]);

export const CBOR_SEEDS: Array<{ name: string; input: Uint8Array }> = [
  // libcbor #428/#431: a head declaring a length no input could hold must not be allocated for.
  { name: 'byte string of 2^64-1 bytes', input: hex('5bffffffffffffffff') },
  { name: 'text of 2^64-1 bytes', input: hex('7bffffffffffffffff61') },
  { name: 'text of 2^32-1 bytes', input: hex('7affffffff6161') },
  { name: 'array of 2^64-1 items', input: hex('9bffffffffffffffff00') },
  { name: 'array of 2^32-1 items', input: hex('9affffffff00') },
  { name: 'map of 2^64-1 pairs', input: hex('bbffffffffffffffff6161') },
  { name: 'map of 2^32-1 pairs', input: hex('baffffffff616100') },
  { name: 'array of 2^28 items', input: hex('9a1000000001') },
  { name: 'nested huge arrays', input: hex('9a000fffff9a000fffff9a000fffff00') },
  // cbor-x PR #136: a lone break byte.
  { name: 'lone break', input: hex('ff') },
  { name: 'break inside a definite array', input: hex('8201ff') },
  { name: 'break as a map key', input: hex('bfff01ff') },
  { name: 'break as a map value', input: hex('a161ff') },
  // cbor-x #116: truncated strings.
  { name: 'truncated text', input: hex('6568656c') },
  { name: 'truncated byte string', input: hex('450102') },
  { name: 'truncated 8-byte head', input: hex('1b0000') },
  { name: 'truncated half float', input: hex('f93c') },
  { name: 'text cut inside a UTF-8 sequence', input: hex('6261e2') },
  { name: 'invalid UTF-8 text', input: hex('62c328') },
  { name: 'lone surrogate in UTF-8', input: hex('63eda080') },
  // Indefinite lengths.
  { name: 'indefinite array without a break', input: hex('9f0102') },
  { name: 'indefinite map with an odd count', input: hex('bf6161ff') },
  { name: 'indefinite text of text chunks', input: hex('7f6161626262ff') },
  { name: 'indefinite text with a byte chunk', input: hex('7f4161ff') },
  { name: 'indefinite text nested', input: hex('7f7f6161ffff') },
  { name: 'indefinite byte string of 2^64 chunk', input: hex('5f5bffffffffffffffffff') },
  { name: 'reserved additional info 28', input: hex('1c') },
  { name: 'reserved additional info 30 on an array', input: hex('9e') },
  // Tags and simple values.
  { name: 'tag 2 bignum of 2^64 bits', input: hex('c25bffffffffffffffff') },
  { name: 'tag 2 bignum', input: hex('c249010000000000000000') },
  { name: 'tag 1 epoch time out of range', input: hex('c1fb7ff0000000000000') },
  { name: 'tag 0 date text garbage', input: hex('c0636e6f77') },
  { name: 'tag 28 shareable', input: hex('d81c8101') },
  { name: 'tag 29 reference with nothing shared', input: hex('d81d00') },
  { name: 'tag 29 reference of 2^32', input: hex('d81d1affffffff') },
  { name: 'tag 105 record of a number', input: hex('d869820102') },
  { name: 'tag 258 set', input: hex('d9010283010203') },
  { name: 'tag 81 float array of 3 bytes', input: hex('d85143010203') },
  { name: 'tag 64 typed array', input: hex('d84043010203') },
  { name: 'tag 2^64-1', input: hex('dbffffffffffffffff00') },
  { name: 'a thousand nested tags', input: repeat(0xc6, 1000, '00') },
  { name: 'simple value 24 below 32', input: hex('f810') },
  { name: 'undefined', input: hex('f7') },
  { name: 'NaN and infinities', input: hex('83f97e00f97c00f9fc00') },
  // Deep nesting: recursion depth must not be the input's to choose.
  { name: '10,000 nested arrays', input: repeat(0x81, 10_000, '00') },
  { name: '100,000 nested arrays', input: repeat(0x81, 100_000, '00') },
  { name: '10,000 nested indefinite arrays', input: repeat(0x9f, 10_000, '') },
  { name: '10,000 nested maps', input: Uint8Array.from(Array.from({ length: 10_000 }, () => [0xa1, 0x61, 0x61]).flat().concat([0x00])) },
  { name: '10,000 nested tags', input: repeat(0xc6, 10_000, '00') },
  // Prototype pollution through map keys.
  { name: 'map with a __proto__ key', input: encodeItem({ k: 'map', v: [[{ k: 'text', v: '__proto__' }, itemOf({ polluted: 1 })]] }) },
  { name: 'map with constructor.prototype', input: encodeItem(itemOf({ constructor: { prototype: { polluted: 1 } } })) },
  { name: 'a message type that is a map with its own toString', input: encodeItem(itemOf([[{ toString: 0 }]])) },
  { name: 'a message type that is an array holding such a map', input: encodeItem(itemOf([[[{ valueOf: 1, toString: {} }]]])) },
  { name: 'a command result whose message is such a map', input: encodeItem(itemOf([[4, 1, 'ok', { toString: 0 }]])) },
  { name: 'map with a non-text key', input: hex('a182010201') },
  { name: 'map with repeated keys', input: hex('a261610161610201') },
  { name: 'empty input', input: new Uint8Array(0) },
  { name: 'trailing bytes', input: hex('0000') },
];
