import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CborWriter } from '../../firmware/link/cbor-writer.js';
import { decodeCbor } from '../../gateway/batch/cbor.js';

function roundTrip(value: unknown): unknown {
  const w = new CborWriter(512);
  w.value(value);
  assert.ok(w.ok());
  return decodeCbor(w.bytes());
}

test('what the device writes, the gateway (cbor-x) reads back the same', () => {
  const values: unknown[] = [
    0, 23, 24, 255, 256, 65_535, 65_536, 4_294_967_295, 4_294_967_296, 9_007_199_254_740_991,
    -1, -24, -25, -257, -4_294_967_297, 1.5, -0.001, 3.141592653589793,
    '', 'lamp-01', 'µT °C', true, false, null, [], [1, [2, [3]]],
    { id: 'bin-03', fill: 81, temp: 23.4, lid: false, faults: [], nested: { a: null } },
  ];
  for (const v of values) assert.equal(roundTrip(v), v, JSON.stringify(v));
});

test('integers take the shortest head, as RFC 8949 preferred serialisation asks', () => {
  const w = new CborWriter(16);
  for (const v of [23, 24, 256, -1]) w.number(v);
  assert.equal([...w.bytes()], [0x17, 0x18, 24, 0x19, 1, 0, 0x20]);
});

test('a value that does not fit is reported, never written past the buffer', () => {
  const w = new CborWriter(8);
  w.value({ id: 'a-long-device-id' });
  assert.not.ok(w.ok());
  assert.ok(w.bytes().length <= 8);
  w.reset();
  w.value(1);
  assert.ok(w.ok());
  assert.equal([...w.bytes()], [1]);
});

test.run();
