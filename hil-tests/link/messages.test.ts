import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Output } from '../../firmware/devices/types.js';
import { CborWriter } from '../../firmware/link/cbor-writer.js';
import { MAX_PAYLOAD } from '../../firmware/link/frame.js';
import { encodeHello, encodeOutputs } from '../../firmware/link/messages.js';
import { encodeCbor } from '../../gateway/batch/cbor.js';
import { decodeHello, decodeOutputs, LinkMessageError } from '../../gateway/node/node-messages.js';

const writer = new CborWriter(MAX_PAYLOAD + 64);
const scratch = new CborWriter(MAX_PAYLOAD + 64);

test('a hello says who the node is, and the gateway reads it back', () => {
  const bytes = encodeHello(writer, { id: 'lamp-07', kind: 'lamp', fw: '0.1.0', profile: 'a1b2c3d4', boot: 12, mode: 'run' })!;
  assert.equal(decodeHello(bytes), { id: 'lamp-07', kind: 'lamp', fw: '0.1.0', profile: 'a1b2c3d4', boot: 12, mode: 'run' });
});

test('readings and events arrive as the outputs the controller emitted, timed by their age', () => {
  const outputs: Output[] = [
    { type: 'reading', metric: 'level', value: 0.2, time: 9_000 },
    { type: 'event', name: 'pir-stuck-high', severity: 'fault', value: 600, time: 9_500, detail: 'PIR high since boot' },
    { type: 'event', name: 'occupied', severity: 'info', value: 1, time: 10_000, detail: '' },
  ];
  const n = encodeOutputs(writer, scratch, outputs, 0, 10_000);
  assert.is(n, 3);
  const got = decodeOutputs(writer.bytes(), 50_000); // the gateway's clock differs; ages carry over
  assert.equal(got, [
    { type: 'reading', metric: 'level', value: 0.2, time: 49_000 },
    { type: 'event', name: 'pir-stuck-high', severity: 'fault', value: 600, time: 49_500, detail: 'PIR high since boot' },
    { type: 'event', name: 'occupied', severity: 'info', value: 1, time: 50_000, detail: '' },
  ]);
});

test('outputs are packed as many per frame as fit, and the rest go in the next', () => {
  const outputs: Output[] = Array.from({ length: 40 }, (_, i) => ({ type: 'reading', metric: 'distance', value: 100 + i / 10, time: 0 }));
  const sizes: number[] = [];
  for (let from = 0; from < outputs.length;) {
    const n = encodeOutputs(writer, scratch, outputs, from, 0);
    assert.ok(n > 0 && writer.bytes().length <= MAX_PAYLOAD, `frame of ${writer.bytes().length} bytes`);
    sizes.push(n);
    from += n;
  }
  assert.is(sizes.reduce((a, b) => a + b, 0), 40);
  assert.ok(sizes.length >= 2, 'more than one frame was needed');
});

test('malformed payloads are refused with the place and the reason', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ x: 1 }, /expected an array of outputs/],
    [[[9, 'x', 1, 0]], /\[0\]\[0\]: unknown message type 9/],
    [[[1, 'level', 'high', 0]], /\[0\]\[2\]: expected a finite number/],
    [[[2, 'fire', 7, 80, 0]], /\[0\]\[2\]: expected a severity code/],
    [[[2, 'fire', 'indexOf', 80, 0]], /\[0\]\[2\]: expected a severity code/],
    [[[1, 'level', 1, -5]], /\[0\] age: expected an age >= 0/],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => decodeOutputs(encodeCbor(value), 0), (err: Error) => err instanceof LinkMessageError && message.test(err.message));
  }
  assert.throws(() => decodeOutputs(Uint8Array.of(0x9f), 0), /not well-formed CBOR/);
  assert.throws(() => decodeHello(encodeCbor({ id: 'x', kind: 'lamp', fw: '1', profile: 'p', boot: -1 })), /boot: expected a boot count/);
});

test.run();
