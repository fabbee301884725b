/**
 * The serial line as the gateway reads it: bytes in chunks into the FrameReader, each frame's
 * payload to decodeHello or decodeNodePayload. Garbage costs only the frames it touches: after
 * every input a good frame still arrives whole.
 */
import fc from 'fast-check';
import { cobsEncodeInto, cobsMaxLength } from '../../../firmware/link/cobs.js';
import { crc16 } from '../../../firmware/link/crc16.js';
import { encodeFrame, FRAME_DATA, FRAME_HELLO, FrameReader, MAX_PAYLOAD, type Frame } from '../../../firmware/link/frame.js';
import { decodeHello, decodeNodePayload, LinkMessageError } from '../../../gateway/node/node-messages.js';
import { cborBytes } from '../cbor-arbitrary.js';
import { CBOR_SEEDS } from '../cbor-seeds.js';
import { showBytes, violation, type FuzzTarget } from '../fuzz-target.js';
import { mutatedBytes } from '../mutate.js';
import { NODE_VOCABULARY } from './node-payload.js';

/** COBS of any raw frame, delimiters added: the length byte and the CRC are the caller's. */
function cobsFrame(raw: Uint8Array): Uint8Array {
  const wire = new Uint8Array(cobsMaxLength(raw.length) + 2);
  const n = cobsEncodeInto(raw, raw.length, wire.subarray(1));
  return wire.subarray(0, n + 2);
}

/** A raw frame with a correct CRC but a header of the caller's choosing (wrong length, any type). */
function rawFrame(header: number[], payload: Uint8Array): Uint8Array {
  const raw = new Uint8Array(header.length + payload.length + 2);
  raw.set(header);
  raw.set(payload, header.length);
  const crc = crc16(raw, 0, raw.length - 2);
  raw[raw.length - 2] = crc >> 8;
  raw[raw.length - 1] = crc & 0xff;
  return cobsFrame(raw);
}

const concat = (parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => Array.from(p)));

const GOOD_PAYLOAD = Uint8Array.from([0x81, 0x84, 0x01, 0x63, 0x6c, 0x75, 0x78, 0x0a, 0x00]); // [[1, 'lux', 10, 0]]
const GOOD = encodeFrame(FRAME_DATA, 7, 3, GOOD_PAYLOAD);

const payload = cborBytes(NODE_VOCABULARY).filter((b) => b.length <= MAX_PAYLOAD);
const frame: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.tuple(fc.constantFrom(FRAME_HELLO, FRAME_DATA, 3, 0, 255), fc.nat(255), fc.nat(255), payload).map(([t, s, a, p]) => encodeFrame(t, s, a, p)),
  fc.tuple(fc.array(fc.nat(255), { minLength: 0, maxLength: 5 }), fc.uint8Array({ maxLength: MAX_PAYLOAD + 8 })).map(([h, p]) => rawFrame(h, p)),
  fc.uint8Array({ maxLength: 300 }),
);
const stream = fc.array(fc.oneof(frame, mutatedBytes(frame)), { minLength: 1, maxLength: 6 }).map(concat);
/** The stream cut into the chunks a serial port delivers. */
const chunked = fc.tuple(stream, fc.array(fc.nat(400), { maxLength: 6 })).map(([bytes, cuts]) => {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const c of at.concat(bytes.length)) {
    chunks.push(bytes.subarray(from, c));
    from = c;
  }
  return chunks;
});

const maxPayload = new Uint8Array(MAX_PAYLOAD).fill(0x01);
const seeds: Array<{ name: string; input: Uint8Array[] }> = [
  { name: 'a frame of the largest payload', input: [encodeFrame(FRAME_DATA, 0, 0, maxPayload)] },
  { name: 'a frame one byte over the largest payload', input: [rawFrame([FRAME_DATA, 0, 0, 0xff], new Uint8Array(MAX_PAYLOAD + 1).fill(1))] },
  { name: 'a length byte that lies (CRC valid)', input: [rawFrame([FRAME_DATA, 0, 0, 3], Uint8Array.from([0x81, 0x00]))] },
  { name: 'a frame with no header (CRC valid)', input: [rawFrame([], new Uint8Array(0))] },
  { name: '10,000 bytes without a delimiter', input: [new Uint8Array(10_000).fill(0x41)] },
  { name: '100,000 bytes without a delimiter in small chunks', input: Array.from({ length: 1000 }, () => new Uint8Array(100).fill(0xfe)) },
  { name: 'only delimiters', input: [new Uint8Array(1000)] },
  { name: 'COBS code running past the end', input: [Uint8Array.from([0, 0x10, 1, 2, 0])] },
  { name: 'COBS code 0xff at the end', input: [Uint8Array.from([0, 0xff, 1, 2, 3, 0])] },
  { name: 'zero byte inside a COBS run', input: [Uint8Array.from([0, 0x05, 1, 0, 3, 4, 0])] },
  { name: 'a good frame split byte by byte', input: Array.from(GOOD, (b) => Uint8Array.of(b)) },
  { name: 'two frames sharing one delimiter, the first without its end', input: [concat([GOOD.subarray(0, GOOD.length - 1), GOOD])] },
  ...CBOR_SEEDS.filter((s) => s.input.length <= MAX_PAYLOAD).flatMap((s) => [
    { name: `CRC-valid data frame: ${s.name}`, input: [encodeFrame(FRAME_DATA, 1, 0, s.input)] },
    { name: `CRC-valid hello frame: ${s.name}`, input: [encodeFrame(FRAME_HELLO, 1, 0, s.input)] },
  ]),
];

export const serialFrames: FuzzTarget<Uint8Array[]> = {
  name: 'serial-frames',
  parser: 'FrameReader.push + decodeHello/decodeNodePayload',
  arbitrary: chunked,
  seeds,
  run(chunks) {
    const frames: Frame[] = [];
    const reader = new FrameReader((f) => frames.push(f));
    for (const c of chunks) reader.push(c);
    // A delimiter ends what the input left half-read (it may complete a valid frame).
    reader.push(Uint8Array.of(0));
    for (const f of frames) {
      violation(f.payload.length <= MAX_PAYLOAD, `a frame of ${f.payload.length} payload bytes came through`);
      try {
        if (f.type === FRAME_HELLO) decodeHello(f.payload);
        else if (f.type === FRAME_DATA) decodeNodePayload(f.payload, 1000);
      } catch (err) {
        if (!(err instanceof LinkMessageError)) throw err;
      }
    }
    const before = frames.length;
    reader.push(GOOD);
    const last = frames[frames.length - 1];
    violation(frames.length === before + 1 && last !== undefined && Buffer.from(last.payload).equals(GOOD_PAYLOAD) && last.seq === 7,
      'a good frame after this input and a delimiter was not read whole (the reader did not resynchronise at the next 0x00)');
    violation(reader.stats.frames === frames.length, 'stats.frames does not count the frames delivered');
  },
  isTyped: () => false,
  show: (chunks) => chunks.map(showBytes).join(' | '),
};
