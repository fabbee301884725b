import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cobsDecodeInto, cobsEncodeInto, cobsMaxLength } from '../../firmware/link/cobs.js';
import { crc16 } from '../../firmware/link/crc16.js';
import { encodeFrame, FRAME_DATA, FRAME_HELLO, FrameReader, MAX_PAYLOAD, type Frame } from '../../firmware/link/frame.js';
import { Random } from '../harness/random.js';

function cobsRoundTrip(data: Uint8Array): Uint8Array {
  const wire = new Uint8Array(cobsMaxLength(data.length));
  const n = cobsEncodeInto(data, data.length, wire);
  assert.ok(!wire.subarray(0, n).includes(0), 'no zero byte on the wire');
  const back = new Uint8Array(data.length + 1);
  const m = cobsDecodeInto(wire, n, back);
  return back.subarray(0, m);
}

test('COBS round-trips any bytes, zeros and 254-byte runs included, with no zero on the wire', () => {
  const rng = new Random(7);
  const cases = [new Uint8Array(0), Uint8Array.of(0), Uint8Array.of(0, 0), new Uint8Array(254).fill(1), new Uint8Array(255).fill(7), new Uint8Array(600).fill(9)];
  for (let i = 0; i < 200; i++) cases.push(Uint8Array.from({ length: rng.int(0, 300) }, () => (rng.chance(0.2) ? 0 : rng.int(1, 255))));
  for (const c of cases) assert.equal([...cobsRoundTrip(c)], [...c], `length ${c.length}`);
});

test('COBS refuses input with a zero or a block running past the end', () => {
  const out = new Uint8Array(16);
  assert.is(cobsDecodeInto(Uint8Array.of(3, 1, 0), 3, out), -1);
  assert.is(cobsDecodeInto(Uint8Array.of(5, 1, 2), 3, out), -1);
});

test('CRC-16/CCITT-FALSE gives its check value for "123456789"', () => {
  const bytes = new TextEncoder().encode('123456789');
  assert.is(crc16(bytes, 0, bytes.length), 0x29b1);
});

test('frames survive the trip through a reader fed in odd-sized pieces', () => {
  const got: Frame[] = [];
  const reader = new FrameReader((f) => got.push(f));
  const stream = [
    encodeFrame(FRAME_HELLO, 0, 255, Uint8Array.of(1, 0, 2)),
    encodeFrame(FRAME_DATA, 1, 0, new Uint8Array(MAX_PAYLOAD).fill(0)),
    encodeFrame(FRAME_DATA, 2, 0, new Uint8Array(0)),
  ];
  const all = new Uint8Array(stream.reduce((n, s) => n + s.length, 0));
  let at = 0;
  for (const s of stream) {
    all.set(s, at);
    at += s.length;
  }
  for (let i = 0; i < all.length; i += 7) reader.push(all.subarray(i, i + 7));
  assert.equal(got.map((f) => [f.type, f.seq, f.ack, f.payload.length]), [[FRAME_HELLO, 0, 255, 3], [FRAME_DATA, 1, 0, MAX_PAYLOAD], [FRAME_DATA, 2, 0, 0]]);
  assert.equal([...got[0]!.payload], [1, 0, 2]);
  assert.equal(reader.stats, { frames: 3, errors: 0 });
});

test('after garbage, a flipped bit or an endless run without a delimiter the reader resynchronises', () => {
  const got: Frame[] = [];
  const reader = new FrameReader((f) => got.push(f));
  const good = encodeFrame(FRAME_DATA, 9, 3, Uint8Array.of(42));
  const flipped = encodeFrame(FRAME_DATA, 10, 3, Uint8Array.of(43));
  flipped[2] ^= 0x10;
  reader.push(Uint8Array.of(0x55, 0xaa, 0x13)); // line noise before the first delimiter
  reader.push(good);
  reader.push(flipped);
  reader.push(new Uint8Array(2_000).fill(0x41)); // a babbling line, longer than any frame
  reader.push(Uint8Array.of(0));
  reader.push(good);
  assert.equal(got.map((f) => f.seq), [9, 9]);
  assert.is(reader.stats.errors, 3, 'the noise, the flipped frame and the overlong run');
});

test('a frame whose closing 0x00 was corrupted does not pass as the frame plus a zero byte', () => {
  const got: Frame[] = [];
  const reader = new FrameReader((f) => got.push(f));
  const frame = encodeFrame(FRAME_DATA, 70, 0, new TextEncoder().encode('a69'));
  frame[frame.length - 1] = 1; // the trailing delimiter flipped to 0x01
  reader.push(frame);
  reader.push(encodeFrame(FRAME_DATA, 71, 0, new TextEncoder().encode('a70')));
  assert.equal(got.map((f) => new TextDecoder().decode(f.payload)), ['a70']);
  assert.is(reader.stats.errors, 1);
});

test('an oversized payload is refused where the frame is made', () => {
  assert.throws(() => encodeFrame(FRAME_DATA, 0, 0, new Uint8Array(MAX_PAYLOAD + 1)), /exceeds/);
});

test.run();
