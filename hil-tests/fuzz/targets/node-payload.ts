/**
 * What a node sends, decoded by the gateway with cbor-x: decodeHello and decodeNodePayload.
 * A pass is a value or a LinkMessageError; the decoder must also read a good payload after
 * any input (cbor-x keeps state between calls).
 */
import * as assert from 'node:assert/strict';
import { decodeHello, decodeNodePayload, encodeGatewayHello, LinkMessageError } from '../../../gateway/node/node-messages.js';
import { encodeCbor } from '../../../gateway/batch/cbor.js';
import { cborBytes, type Vocabulary } from '../cbor-arbitrary.js';
import { CBOR_SEEDS } from '../cbor-seeds.js';
import { showBytes, type FuzzTarget } from '../fuzz-target.js';
import { encodeItem, itemOf } from '../cbor-item.js';
import fc from 'fast-check';

export const NODE_VOCABULARY: Vocabulary = {
  texts: ['id', 'kind', 'fw', 'profile', 'boot', 'mode', 'run', 'safe', 'lamp', 'lux', 'level', 'pir-stuck-high', 'ok', 'gateway', 'epoch'],
  ints: [0, 1, 2, 3, 4, 5, 6, 7, 65535, 65536],
};

const GOOD_HELLO = encodeCbor({ id: 'lamp-01', kind: 'lamp', fw: '1.0.0', profile: '3f2a9c01', boot: 2, mode: 'run' });
const GOOD_DATA = encodeCbor([[1, 'lux', 10, 5], [2, 'pir-stuck-high', 2, 1, 0, 'stuck'], [3, { mode: 'base', on: true }], [4, 7, 'ok']]);

const wellFormed = fc.oneof(
  fc.constantFrom(GOOD_HELLO, GOOD_DATA, encodeGatewayHello('gw', 1, 2)),
  fc.array(fc.tuple(fc.constantFrom(1, 2, 3, 4, 9), fc.array(fc.oneof(fc.constantFrom('lux', 'x', ''), fc.integer(), fc.double(), fc.boolean()), { maxLength: 6 })), { maxLength: 5 })
    .map((items) => encodeItem(itemOf(items.map(([t, rest]) => [t, ...rest])))),
);

export const nodePayload: FuzzTarget<Uint8Array> = {
  name: 'node-payload',
  parser: 'decodeHello / decodeNodePayload (cbor-x)',
  arbitrary: cborBytes(NODE_VOCABULARY, wellFormed),
  seeds: CBOR_SEEDS,
  run(bytes) {
    for (const decode of [() => decodeHello(bytes), () => decodeNodePayload(bytes, 5000)]) {
      try {
        decode();
      } catch (err) {
        if (!(err instanceof LinkMessageError)) throw err;
      }
    }
  },
  isTyped: (err) => err instanceof LinkMessageError,
  stillWorks() {
    assert.equal(decodeHello(GOOD_HELLO).id, 'lamp-01');
    const p = decodeNodePayload(GOOD_DATA, 100);
    assert.equal(p.outputs.length, 2);
    assert.equal(p.results[0]?.code, 'ok');
  },
  show: showBytes,
};
