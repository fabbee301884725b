/**
 * The batch decoder consumers and `kerb decode` run on what arrives from a gateway: versions 0
 * and 1, deflated or not. A pass is a DecodedBatch or a BatchError; a deflated body may not
 * inflate past MAX_INFLATED_BYTES.
 */
import * as assert from 'node:assert/strict';
import zlib from 'node:zlib';
import fc from 'fast-check';
import type { MetricSpec } from '../../../firmware/devices/types.js';
import { decodeCbor, encodeCbor } from '../../../gateway/batch/cbor.js';
import { BatchError, decodeBatch, MAX_INFLATED_BYTES } from '../../../gateway/batch/decode.js';
import { buildBatch, encodeBatch, packBatch, type BatchInput } from '../../../gateway/batch/encode.js';
import { cborBytes } from '../cbor-arbitrary.js';
import { CBOR_SEEDS } from '../cbor-seeds.js';
import { mutatedData } from '../data-mutate.js';
import { showBytes, type FuzzTarget } from '../fuzz-target.js';
import { mutatedBytes } from '../mutate.js';

const T = Date.UTC(2026, 5, 21, 21, 0);
const level: MetricSpec = { name: 'level', kind: 'level', unit: '', scale: 3 };
const motion: MetricSpec = { name: 'motion', kind: 'count', unit: '', scale: 0 };
const mode: MetricSpec = { name: 'mode', kind: 'state', unit: '', scale: 0, states: ['day', 'base', 'full'] };

function sample(): BatchInput {
  const series: BatchInput['series'] = [];
  for (const [w, d] of [[0, 'lamp-01'], [0, 'lamp-02'], [1, 'lamp-01']] as const) {
    const start = T + w * 60_000;
    series.push({ device: d, kind: 'lamp', metric: level, start, end: start + 60_000, stats: { kind: 'level', n: 3, min: 0.2, max: 1, mean: 0.5, last: 1 } });
    series.push({ device: d, kind: 'lamp', metric: motion, start, end: start + 60_000, stats: { kind: 'count', n: 2, sum: 2 } });
    series.push({ device: d, kind: 'lamp', metric: mode, start, end: start + 60_000, stats: { kind: 'state', n: 1, last: 2, durations: [[1, 30_000], [2, 30_000]] } });
  }
  const events: BatchInput['events'] = [
    { device: 'lamp-02', kind: 'lamp', time: T + 5000, event: { type: 'event', name: 'pir-stuck-high', severity: 'fault', value: 1, time: 0, detail: 'stuck' } },
    { device: 'lamp-01', kind: 'lamp', time: T + 9000, event: { type: 'event', name: 'override', severity: 'info', value: 0.5, time: 0, detail: '' } },
  ];
  return { gateway: 'gw-1', site: 'demo', epoch: 3, seq: 41, now: T, series, events, drops: { 'telemetry-full': 2 } };
}

const PLAIN = encodeBatch(sample());
const PACKED = encodeBatch(sample(), { compression: 'deflate' });
const WIRE = buildBatch(sample());
/** Version 0 (rows): still read from old spools and archives. */
const V0 = encodeCbor({
  v: 0, gateway: 'gw-0', site: 'demo', epoch: 1, seq: 2, t: T, devices: [['lamp-01', 'lamp']], metrics: [['level', 'level', '', 3], ['mode', 'state', '', 0, ['day', 'base']]],
  series: [[0, 0, 0, 60_000, 3, 200, 1000, 500, 1000], [0, 1, 0, 60_000, 1, 1, [[0, 30_000], [1, 30_000]]]], events: [[0, 5000, 'override', 'info', 0.5, 'x']],
});

const packed = packBatch(WIRE);
const deflateBody = (body: Uint8Array, dict = 1): Uint8Array => encodeCbor({ ...packed, dict, body });

const wellFormed: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.constantFrom(PLAIN, PACKED, V0),
  mutatedData(fc.constantFrom(WIRE, decodeCbor(V0))).map((v) => encodeCbor(v)),
  mutatedBytes(fc.constant(packed.body)).map((b) => deflateBody(b)),
  // The body mutated, then deflated: the decoder checks an inflated body like a plain one.
  mutatedData(fc.constant((({ v: _v, gateway: _g, site: _s, epoch: _e, seq: _q, ...body }) => body)(WIRE)))
    .map((body) => deflateBody(zlib.deflateRawSync(encodeCbor(body)), 0)),
);

const zeros = zlib.deflateRawSync(Buffer.alloc(64 * 1024 * 1024));
const seeds = [
  ...CBOR_SEEDS,
  { name: 'deflate bomb: 64 MiB of zeros', input: deflateBody(zeros, 0) },
  { name: 'deflate body that is not deflate', input: deflateBody(Uint8Array.from([0xff, 0xff, 0xff])) },
  { name: 'deflated body of 16 MiB + 1', input: deflateBody(zlib.deflateRawSync(Buffer.alloc(MAX_INFLATED_BYTES + 1)), 0) },
  { name: 'deflated body that is a lone break', input: deflateBody(zlib.deflateRawSync(Uint8Array.of(0xff)), 0) },
  { name: 'deflated body of 10,000 nested arrays', input: deflateBody(zlib.deflateRawSync(Uint8Array.from([...new Array<number>(10_000).fill(0x81), 0])), 0) },
  { name: 'dictionary 2^53', input: encodeCbor({ ...packed, dict: 2 ** 53 }) },
  { name: 'a table claiming 2^53 rows', input: encodeCbor({ ...WIRE, series: [[0, 2 ** 53 - 1, 0, 0, 0, 0, 0, 0, 0, 0]] }) },
  { name: 'a table claiming a million constant rows', input: encodeCbor({ ...WIRE, series: [[0, 1_000_000, 0, 0, 60_000, 1, 0, 0, 0, 0]] }) },
  { name: 'scale 308', input: encodeCbor({ ...WIRE, metrics: [['level', 'level', '', 308]] }) },
  { name: 'version 2^64-1', input: Uint8Array.from([0xa1, 0x61, 0x76, 0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) },
  { name: 'drops with a __proto__ reason', input: encodeCbor({ ...WIRE, drops: JSON.parse('{"__proto__": 5, "constructor": 1}') }) },
  { name: 'a state named __proto__', input: encodeCbor({ ...WIRE, metrics: [WIRE.metrics[0], WIRE.metrics[1], ['mode', 'state', '', 0, ['__proto__', 'constructor', 'full']]] }) },
];

const expected = decodeBatch(PLAIN);

export const batch: FuzzTarget<Uint8Array> = {
  name: 'batch',
  parser: 'decodeBatch (v0, v1, deflate)',
  arbitrary: cborBytes({ texts: ['v', 'gateway', 'site', 'epoch', 'seq', 't', 'devices', 'metrics', 'series', 'events', 'drops', 'z', 'dict', 'body', 'deflate', 'lamp', 'level', 'state', 'gauge', 'count'], ints: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 16] }, wellFormed),
  seeds,
  run(bytes) {
    decodeBatch(bytes);
  },
  isTyped: (err) => err instanceof BatchError,
  stillWorks() {
    assert.deepEqual(decodeBatch(PLAIN), expected);
  },
  show: showBytes,
};
