import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeCbor } from '../../firmware/link/cbor-reader.js';
import { CborWriter } from '../../firmware/link/cbor-writer.js';
import { MAX_PAYLOAD } from '../../firmware/link/frame.js';
import { encodeResult, encodeState, readGatewayPayload, type GatewayMessage } from '../../firmware/link/messages.js';
import { encodeCbor } from '../../gateway/batch/cbor.js';
import { decodeNodePayload, encodeCommand, encodeSetup } from '../../gateway/node/node-messages.js';

const writer = new CborWriter(MAX_PAYLOAD + 64);

test("the node's CBOR reader reads what cbor-x writes", () => {
  const values = [0, 23, 24, 255, 256, 65535, 65536, 2 ** 32 + 5, -1, -24, -25, -70000, 0.5, -2.25, 1e300, 'lamp', 'grüße ✓', true, false, null,
    [1, [2, [3]]], { level: 0.4, on: true, name: 'x' }];
  for (const v of values) {
    const got = decodeCbor(encodeCbor(v));
    assert.is(got.error, '', `error for ${JSON.stringify(v)}`);
    assert.equal(got.value, v);
  }
});

test("the node's CBOR reader reads half, single and double floats", () => {
  assert.equal(decodeCbor(Uint8Array.of(0xf9, 0x3c, 0x00)).value, 1);
  assert.equal(decodeCbor(Uint8Array.of(0xf9, 0xc4, 0x00)).value, -4);
  assert.equal(decodeCbor(Uint8Array.of(0xf9, 0x00, 0x01)).value, 5.960464477539063e-8);
  assert.equal(decodeCbor(Uint8Array.of(0xfa, 0x3f, 0xc0, 0x00, 0x00)).value, 1.5);
  assert.equal(decodeCbor(Uint8Array.of(0xfb, 0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a)).value, 0.1);
});

test("the node's CBOR reader refuses what it does not take, naming the byte", () => {
  const cases: Array<[number[], RegExp]> = [
    [[], /truncated at byte 0/],
    [[0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], /integer beyond 2\^53/], // a huge declared length
    [[0x9a, 0xff, 0xff, 0xff, 0xff], /more than 32 items/],
    [[0x84, 0x01], /truncated/], // declares 4 items, has 1 byte left
    [[0xff], /unsupported simple value 31/], // a lone break byte
    [[0x9f, 0x01, 0xff], /indefinite/],
    [[0x64, 0x61, 0x62], /truncated text/],
    [[0x42, 0x01, 0x02], /unsupported major type 2/],
    [[0xc1, 0x01], /unsupported major type 6/],
    [[0xa1, 0x01, 0x02], /map keys must be text/],
    [[0x81, 0x81, 0x81, 0x81, 0x81, 0x01], /nested deeper than 4/],
    [[0x01, 0x02], /trailing bytes at byte 1/],
    [[0x62, 0xc3, 0x28], /invalid UTF-8/],
  ];
  for (const [bytes, re] of cases) {
    const got = decodeCbor(Uint8Array.from(bytes));
    assert.is(got.value, undefined);
    assert.match(got.error, re, `${bytes.map((b) => b.toString(16)).join(' ')} -> ${got.error}`);
  }
});

test('a command and a setup from the gateway reach the node as they were sent', () => {
  const into: GatewayMessage[] = [];
  assert.is(readGatewayPayload(encodeCommand(513, { name: 'override', args: { level: 0.75, durationS: 600 } }), into), '');
  assert.is(readGatewayPayload(encodeSetup(1_781_000_000_000, 52.37, 4.9), into), '');
  assert.equal(into, [
    { type: 'command', id: 513, command: { name: 'override', args: { level: 0.75, durationS: 600 } } },
    { type: 'setup', wallMs: 1_781_000_000_000, latitude: 52.37, longitude: 4.9 },
  ]);
});

test('a malformed downlink is refused whole, with the place and the reason', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ a: 1 }, /expected an array of messages/],
    [[[5, 70000, 'override', {}]], /\[0\]\[1\]: expected a command id/],
    [[[5, 1, '', {}]], /\[0\]\[2\]: expected a command name/],
    [[[5, 1, 'override', [1]]], /\[0\]\[3\]: expected a map/],
    [[[5, 1, 'override', { level: [1] }]], /\[0\]\[3\]\.level: expected a number, text or boolean/],
    [[[6, 1, 91, 0]], /\[0\]\[2\]: expected a latitude/],
    [[[6, 1, 0, 0], [9]], /\[1\]\[0\]: unknown message type 9/],
  ];
  for (const [value, re] of cases) {
    const into: GatewayMessage[] = [];
    assert.match(readGatewayPayload(encodeCbor(value), into), re);
    assert.is(into.length, 0, 'nothing of a refused payload is taken');
  }
  assert.match(readGatewayPayload(Uint8Array.of(0xff), []), /not CBOR the node reads/);
});

test("the node's state and command answers reach the gateway", () => {
  const scratch = new CborWriter(MAX_PAYLOAD + 64);
  const state = { level: 0.2, mode: 'night', fault: false };
  assert.is(encodeState(writer, scratch, state, Object.keys(state), 0), 3);
  assert.equal(decodeNodePayload(writer.bytes(), 0), { outputs: [], results: [], state });
  const big: Record<string, string> = {};
  for (let i = 0; i < 12; i++) big[`key${i}`] = 'x'.repeat(30);
  const keys = Object.keys(big);
  const merged: Record<string, unknown> = {};
  for (let from = 0; from < keys.length;) {
    const n = encodeState(writer, scratch, big, keys, from);
    assert.ok(n > 0 && writer.bytes().length <= MAX_PAYLOAD);
    Object.assign(merged, decodeNodePayload(writer.bytes(), 0).state);
    from += n;
  }
  assert.equal(merged, big, 'a state larger than a frame arrives whole, in parts');
  const result = encodeResult(writer, 7, { ok: false, code: 'E_CMD_RANGE', message: 'level must be 0..1' });
  assert.equal(decodeNodePayload(result, 0), { outputs: [], results: [{ id: 7, code: 'E_CMD_RANGE', message: 'level must be 0..1' }] });
});

test.run();
