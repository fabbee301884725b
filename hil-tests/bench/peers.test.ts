/**
 * The benchmark's peer formats carry exactly the values Kerb carries, or their bytes per value
 * would compare unlike with like: each round-trips a varied batch. And each is on the wire the
 * format it claims to be, read back by a decoder other than the one it ships with: cborg for
 * SenML-CBOR, protobufjs's wire reader for Sparkplug B, JSON.parse for JSON.
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

const T0 = Date.UTC(2026, 5, 21, 20, 0);

/**
 * Four devices (given out of name order), window statistics at two window starts, integers
 * small and past 32 bits, fractions, negatives, and events at odd milliseconds; the earliest
 * time belongs to a device that does not sort first.
 */
function varied(): BenchValue[] {
  const out: BenchValue[] = [];
  for (const [i, device] of ['park-07', 'lamp-02', 'bin-03', 'lamp-01'].entries()) {
    for (const start of [T0, T0 + 60_000]) {
      out.push({ device, metric: 'level.n', t: start, v: 12 + i });
      out.push({ device, metric: 'level.mean', t: start, v: 0.467 + i });
      out.push({ device, metric: 'temp.min', t: start, v: -3.25 - i });
      out.push({ device, metric: 'temp.delta', t: start, v: -7 });
      out.push({ device, metric: 'occupied.free', t: start, v: 59_873 });
      out.push({ device, metric: 'energy.sum', t: start, v: 2 ** 40 + i });
    }
  }
  out.push({ device: 'park-07', metric: 'event.occupied', t: T0 - 1_234, v: 1 });
  out.push({ device: 'bin-03', metric: 'event.full', t: T0 + 31_007, v: 91.5 });
  out.push({ device: 'lamp-01', metric: 'event.fault', t: T0 + 119_999, v: -1e-7 });
  return out;
}

const key = (v: BenchValue) => [v.device, v.metric, String(v.t).padStart(16, '0')].join('\u0000');
const sorted = (vs: BenchValue[]) => [...vs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

// Sparkplug is a session (births, aliases): each test gets a fresh one.
const formats: Array<() => PeerFormat> = [() => jsonPerReading, () => senmlCbor, sparkplugB];

for (const make of formats) {
  const name = make().name;
  test(`${name}: varied batches round-trip to the same values, batch after batch`, () => {
    const format = make();
    for (const shift of [0, 120_000, 240_000]) {
      const values = varied().map((v) => ({ ...v, t: v.t + shift }));
      if (shift === 240_000) values.push({ device: 'lamp-01', metric: 'level.n', t: T0 + shift, v: 2.5 }); // a type change
      const back = format.decode(format.encode(values, 'demo-street', 'gw-1'));
      assert.is(back.length, values.length);
      assert.equal(sorted(back), sorted(values));
    }
  });

  test(`${name}: wireBytes is each message as a QoS 1 PUBLISH with its PUBACK`, () => {
    const messages = make().encode(varied(), 'demo-street', 'gw-1');
    assert.is(wireBytes(messages), messages.reduce((n, m) => n + qos1PublishBytes(m.topic, m.payload.length), 0));
  });
}

test('wireBytes counts framing as MQTT 3.1.1 does', () => {
  // 'a' (2+1) + packet id 2 + payload 3 = 8 remaining; 1 fixed + 1 length + 8 + 4 PUBACK.
  assert.is(wireBytes([{ topic: 'a', payload: new Uint8Array(3) }]), 14);
  // 2 + 3 + 2 + 121 = 128 remaining needs a second length byte.
  assert.is(wireBytes([{ topic: 'abc', payload: new Uint8Array(121) }, { topic: 'a', payload: new Uint8Array(3) }]), 1 + 2 + 128 + 4 + 14);
  assert.is(wireBytes([]), 0);
});

test('JSON per reading: one message per value, each exactly {device, metric, t, v}', () => {
  const values = varied();
  const messages = jsonPerReading.encode(values, 'demo-street', 'gw-1');
  assert.is(messages.length, values.length);
  messages.forEach((m, i) => {
    assert.is(m.topic, 'kerb/v1/demo-street/gw-1/reading');
    const text = Buffer.from(m.payload).toString('utf8');
    const { device, metric, t, v } = values[i]!;
    assert.is(text, JSON.stringify({ device, metric, t, v }));
    assert.equal(Object.keys(JSON.parse(text) as object), ['device', 'metric', 't', 'v']);
  });
  assert.equal(Object.keys(jsonRecord(values[0]!)), ['device', 'metric', 't', 'v']);
});

test('SenML-CBOR: one pack a plain CBOR decoder reads, integer labels, base fields only where they change', () => {
  const values = varied();
  const messages = senmlCbor.encode(values, 'demo-street', 'gw-1');
  assert.is(messages.length, 1);
  assert.is(messages[0]!.topic, 'kerb/v1/demo-street/gw-1/senml');
  const bytes = messages[0]!.payload;
  // cborg's defaults refuse what is not plain CBOR (undefined, unknown tags); strict also wants
  // every length and integer in its shortest form.
  const loose = cborgDecode(bytes, { useMaps: true }) as Array<Map<unknown, unknown>>;
  const pack = cborgDecode(bytes, { useMaps: true, strict: true, rejectDuplicateMapKeys: true }) as Array<Map<unknown, unknown>>;
  assert.equal(pack, loose);
  assert.ok(Array.isArray(pack) && pack.length === values.length, 'one record per value');
  for (const record of pack) {
    assert.ok(record instanceof Map);
    for (const label of record.keys()) assert.ok(Number.isInteger(label), `label ${String(label)} is a CBOR integer`);
  }
  // Resolved independently of senml-cbor.ts's decoder: records by device then time, bn on the
  // first record of each device and nowhere else, bt once on the first record, t relative.
  const first = pack[0]!;
  assert.is(first.get(-2), 'urn:dev:kerb:bin-03:');
  assert.is(first.get(-3), (T0 - 1_234) / 1000, 'bt: the earliest time, in seconds');
  assert.ok(pack.slice(1).every((r) => !r.has(-3)), 'bt is not repeated');
  const expected = [...values].sort((a, b) => (a.device < b.device ? -1 : a.device > b.device ? 1 : a.t - b.t));
  let bn = '';
  const bt = first.get(-3) as number;
  pack.forEach((record, i) => {
    const want = expected[i]!;
    const deviceChanged = i === 0 || expected[i - 1]!.device !== want.device;
    assert.is(record.has(-2), deviceChanged, `record ${i}: bn only where the device changes`);
    if (record.has(-2)) bn = record.get(-2) as string;
    assert.is(`${bn}${record.get(0) as string}`, `urn:dev:kerb:${want.device}:${want.metric}`);
    assert.is(record.get(6) !== 0, true, 'a zero relative time is left out, not written');
    assert.is(Math.round((bt + ((record.get(6) as number | undefined) ?? 0)) * 1000), want.t);
    assert.is(record.get(2), want.v);
    assert.equal([...record.keys()].filter((k) => ![-2, -3, 0, 2, 6].includes(k as number)), [], 'only bn, bt, n, v, t');
  });
});

test('Sparkplug B: a birth per device naming its aliases, then data by alias; read back by protobufjs', () => {
  const format = sparkplugB();
  const first = format.encode(varied(), 'demo-street', 'gw-1');
  assert.equal(first.map((m) => m.topic.split('/')[2]).filter((t) => t === 'DBIRTH').length, 4);
  assert.ok(first.every((m) => /^spBv1\.0\/demo-street\/D(BIRTH|DATA)\/gw-1\/(lamp|park|bin)-\d+$/.test(m.topic)));
  const second = format.encode(varied().map((v) => ({ ...v, t: v.t + 120_000 })), 'demo-street', 'gw-1');
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

test.run();
