/**
 * The packet-size watch follows MQTT framing across any split of the byte stream: packets within
 * the limit pass however they are cut, and the first one declared over it is named with its size
 * as soon as its length is read, before its body.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PacketSizeWatch } from './packet-size-guard.js';

/** One MQTT packet: a header byte, the remaining length as MQTT encodes it, `bodyBytes` of body. */
function packet(bodyBytes: number, type = 0x30): Buffer {
  const length: number[] = [];
  let n = bodyBytes;
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    length.push(b);
  } while (n > 0);
  return Buffer.concat([Buffer.from([type, ...length]), Buffer.alloc(bodyBytes, 0x61)]);
}

/** Feeds `bytes` cut at `cuts` (offsets); the first report and the chunk it came in. */
function feed(limit: number, bytes: Buffer, cuts: number[]): { declared: number; chunk: number } | undefined {
  const watch = new PacketSizeWatch(limit);
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  const chunks: Buffer[] = [];
  for (const c of at) {
    chunks.push(bytes.subarray(from, c));
    from = c;
  }
  chunks.push(bytes.subarray(from));
  for (let i = 0; i < chunks.length; i++) {
    const declared = watch.feed(chunks[i]!);
    if (declared !== undefined) return { declared, chunk: i };
  }
  return undefined;
}

const LIMIT = 64 * 1024;

test('packets within the limit pass however the stream is cut (lengths of 1 to 3 bytes, empty bodies)', () => {
  fc.assert(fc.property(
    fc.array(fc.integer({ min: 0, max: LIMIT - 4 }), { minLength: 1, maxLength: 8 }),
    fc.array(fc.nat(), { maxLength: 12 }),
    (sizes, cuts) => feed(LIMIT, Buffer.concat(sizes.map((s) => packet(s))), cuts) === undefined,
  ), { seed: 20260621, numRuns: 200 });
});

test('the first packet over the limit is named with its declared size, wherever it is and however it is cut', () => {
  fc.assert(fc.property(
    fc.array(fc.integer({ min: 0, max: 2000 }), { maxLength: 5 }),
    fc.integer({ min: LIMIT - 4, max: 3_000_000 }),
    fc.array(fc.nat(), { maxLength: 12 }),
    (before, big, cuts) => {
      const over = packet(big);
      if (over.length <= LIMIT) return true;
      const r = feed(LIMIT, Buffer.concat([...before.map((s) => packet(s)), over]), cuts);
      return r !== undefined && r.declared === over.length;
    },
  ), { seed: 20260621, numRuns: 200 });
});

test('a header declaring 256 MB is caught from its five header bytes alone', () => {
  const watch = new PacketSizeWatch(LIMIT);
  assert.is(watch.feed(Buffer.from([0x30, 0xff, 0xff])), undefined, 'not yet: the length is still being read');
  assert.is(watch.feed(Buffer.from([0xff, 0x7f])), 1 + 4 + 268_435_455);
});

test('exactly the limit passes; one byte more does not', () => {
  const fits = packet(LIMIT - 4); // 1 + 3 + (LIMIT - 4)
  assert.is(fits.length, LIMIT);
  assert.is(new PacketSizeWatch(LIMIT).feed(fits), undefined);
  assert.is(new PacketSizeWatch(LIMIT).feed(packet(LIMIT - 3)), LIMIT + 1);
});

test('a malformed length (a fifth continuation byte) is left to the MQTT parser, and the watch stops', () => {
  const watch = new PacketSizeWatch(LIMIT);
  assert.is(watch.feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x7f])), undefined);
  assert.is(watch.feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f])), undefined, 'nothing after it is framed from a wrong place');
});

test.run();
