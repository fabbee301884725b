/**
 * The peer formats of the benchmark carry exactly the values Kerb carries, or their byte counts
 * would compare unlike with like: each round-trips a varied batch, and each is the format it
 * claims to be on the wire (cborg reads SenML with integer labels; protobufjs reads Sparkplug).
 */
import { decode as cborgDecode } from 'cborg';
import protobuf from 'protobufjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { qos1PublishBytes } from '../../scripts/bench/mqtt-size.js';
import { jsonPerReading, jsonRecord } from '../../scripts/bench/peers/json-per-reading.js';
import { wireBytes, type PeerFormat } from '../../scripts/bench/peers/peer-format.js';
import { senmlCbor } from '../../scripts/bench/peers/senml-cbor.js';
import { sparkplugB } from '../../scripts/bench/peers/sparkplug-b.js';
import type { BenchValue } from '../../scripts/bench/values.js';

const T = Date.UTC(2026, 5, 21, 20, 0);

function batch(offset = 0): BenchValue[] {
  const out: BenchValue[] = [];
  for (const device of ['lamp-01', 'lamp-02', 'park-07', 'bin-03']) {
    out.push({ device, metric: 'level.n', t: T + offset, v: 2 });
    out.push({ device, metric: 'level.mean', t: T + offset, v: 0.467 });
    out.push({ device, metric: 'temp.min', t: T + offset, v: -3.5 });
    out.push({ device, metric: 'occupied.free', t: T + offset, v: 60_000 });
    out.push({ device, metric: 'n.big', t: T + offset, v: 2 ** 40 });
  }
  out.push({ device: 'park-07', metric: 'event.occupied', t: T + offset + 31_234, v: 1 });
  out.push({ device: 'bin-03', metric: 'event.fire', t: T + offset + 1_001, v: 91.25 });
  return out;
}

const key = (v: BenchValue) => `${v.device}|${v.metric}|${v.t}`;
const sorted = (vs: BenchValue[]) => [...vs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

for (const make of [() => jsonPerReading, () => senmlCbor, sparkplugB] as Array<() => PeerFormat>) {
  const name = make().name;
  test(`${name} carries a batch's values and gives them back, batch after batch`, () => {
    const format = make();
    for (const offset of [0, 60_000, 120_000]) {
      const values = batch(offset);
      if (offset === 120_000) values.push({ device: 'lamp-01', metric: 'level.n', t: T + offset + 5, v: 2.5 }); // a type change
      assert.equal(sorted(format.decode(format.encode(values, 'demo-street', 'gw-1'))), sorted(values));
    }
  });
}

test('JSON per reading: one message per value, exactly {device, metric, t, v}', () => {
  const values = batch();
  const messages = jsonPerReading.encode(values, 'demo-street', 'gw-1');
  assert.is(messages.length, values.length);
  assert.is(messages[0]!.topic, 'kerb/v1/demo-street/gw-1/reading');
  assert.is(Buffer.from(messages[0]!.payload).toString(), JSON.stringify({ device: 'lamp-01', metric: 'level.n', t: T, v: 2 }));
  assert.equal(Object.keys(jsonRecord(values[0]!)), ['device', 'metric', 't', 'v']);
});

test('SenML-CBOR: one pack, integer labels, base name per device change and base time once', () => {
  const [m] = senmlCbor.encode(batch(), 'demo-street', 'gw-1');
  assert.is(m!.topic, 'kerb/v1/demo-street/gw-1/senml');
  const pack = cborgDecode(m!.payload, { strict: true, useMaps: true, allowIndefinite: false, rejectDuplicateMapKeys: true }) as Array<Map<number, unknown>>;
  assert.ok(pack.every((r) => [...r.keys()].every((k) => typeof k === 'number')), 'labels are CBOR integers');
  assert.equal([pack[0]!.get(-2), pack[0]!.get(-3)], ['urn:dev:kerb:bin-03:', T / 1000]);
  const withBase = pack.filter((r) => r.has(-2)).map((r) => r.get(-2));
  assert.equal(withBase, ['urn:dev:kerb:bin-03:', 'urn:dev:kerb:lamp-01:', 'urn:dev:kerb:lamp-02:', 'urn:dev:kerb:park-07:'], 'a base name only where the device changes');
  assert.is(pack.filter((r) => r.has(-3)).length, 1, 'one base time');
  assert.ok(pack.filter((r) => r.has(6)).every((r) => r.get(6) !== 0), 'no zero relative times written');
});

test('Sparkplug B: a birth per device naming its aliases, then data by alias; read back by protobufjs', () => {
  const format = sparkplugB();
  const first = format.encode(batch(), 'demo-street', 'gw-1');
  assert.equal(first.map((m) => m.topic.split('/')[2]).filter((t) => t === 'DBIRTH').length, 4);
  assert.ok(first.every((m) => /^spBv1\.0\/demo-street\/D(BIRTH|DATA)\/gw-1\/(lamp|park|bin)-\d+$/.test(m.topic)));
  const second = format.encode(batch(60_000), 'demo-street', 'gw-1');
  assert.equal(second.map((m) => m.topic.split('/')[2]), ['DDATA', 'DDATA', 'DDATA', 'DDATA'], 'born once');
  const births = first.filter((m) => m.topic.includes('DBIRTH'));
  const data = second[0]!;
  assert.ok(Buffer.from(births[0]!.payload).includes(Buffer.from('level.mean')), 'the birth names the metric');
  assert.not.ok(Buffer.from(data.payload).includes(Buffer.from('level.mean')), 'data carries aliases only');
  assert.throws(() => sparkplugB().decode(second), /alias 0 was never born/, 'data without its birth cannot be read');
  // The specification's field numbers on the wire: Payload timestamp 1, metrics 2, seq 3;
  // Metric alias 2, timestamp 3, int_value 10, double_value 13; no name (1) or datatype (4) in data.
  const payloadFields = new Set<number>();
  const metricFields = new Set<number>();
  const reader = protobuf.Reader.create(data.payload);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    payloadFields.add(tag >>> 3);
    if (tag >>> 3 !== 2) {
      reader.skipType(tag & 7);
      continue;
    }
    const metric = protobuf.Reader.create(reader.bytes());
    while (metric.pos < metric.len) {
      const t = metric.uint32();
      metricFields.add(t >>> 3);
      metric.skipType(t & 7);
    }
  }
  assert.equal([...payloadFields].sort((a, b) => a - b), [1, 2, 3]);
  assert.ok([...metricFields].every((f) => [2, 3, 10, 13].includes(f)), `metric fields ${[...metricFields]}`);
});

test('wire bytes are each message as a QoS 1 PUBLISH with its PUBACK', () => {
  const messages = jsonPerReading.encode(batch(), 's', 'g');
  assert.is(wireBytes(messages), messages.reduce((n, m) => n + qos1PublishBytes(m.topic, m.payload.length), 0));
});

test.run();
