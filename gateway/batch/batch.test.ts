import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { DeviceEvent, MetricSpec } from '../../firmware/devices/types.js';
import { encodeCbor } from './cbor.js';
import { BatchError, decodeBatch } from './decode.js';
import { encodeBatch, type BatchInput } from './encode.js';

const level: MetricSpec = { name: 'level', kind: 'gauge', unit: '', scale: 3 };
const occupied: MetricSpec = { name: 'occupied', kind: 'state', unit: '', scale: 0, states: ['free', 'occupied'] };
const T = Date.UTC(2026, 5, 21, 21, 0);
const full: DeviceEvent = { type: 'event', name: 'full', severity: 'alert', value: 82, time: 0, detail: '' };

function input(): BatchInput {
  return {
    gateway: 'gw-1', site: 'demo-street', epoch: 7, seq: 42, now: T,
    series: [
      { device: 'lamp-01', kind: 'lamp', metric: level, start: T, end: T + 60_000, stats: { kind: 'gauge', n: 3, min: 0.2, max: 1, mean: 0.4667, last: 0.2 } },
      { device: 'park-01', kind: 'parking', metric: occupied, start: T, end: T + 60_000, stats: { kind: 'state', n: 1, last: 1, durations: [[0, 20_000], [1, 40_000]] } },
      { device: 'lamp-02', kind: 'lamp', metric: level, start: T, end: T + 60_000, stats: { kind: 'gauge', n: 1, min: 1, max: 1, mean: 1, last: 1 } },
    ],
    events: [{ device: 'bin-01', kind: 'bin', time: T + 1234, event: full }],
  };
}

/**
 * Walks CBOR by the RFC 8949 rules and fails on any tag (major type 6), indefinite length or
 * trailing byte: the promise is plain CBOR any decoder reads, not cbor-x's extensions.
 */
function assertPlainCbor(buf: Uint8Array): void {
  let i = 0;
  const head = (): [number, number] => {
    const b = buf[i++]!;
    const major = b >> 5;
    const info = b & 31;
    if (info < 24) return [major, info];
    const len = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : -1;
    if (len < 0) throw new Error(`indefinite or reserved length at byte ${i - 1}`);
    let v = 0;
    for (let k = 0; k < len; k++) v = v * 256 + buf[i++]!;
    return [major, v];
  };
  const item = (): void => {
    const at = i;
    const [major, v] = head();
    if (major === 6) throw new Error(`tag ${v} at byte ${at}`);
    if (major === 2 || major === 3) i += v;
    else if (major === 4) for (let k = 0; k < v; k++) item();
    else if (major === 5) for (let k = 0; k < 2 * v; k++) item();
  };
  item();
  assert.is(i, buf.length, 'no trailing bytes');
}

test('a batch round-trips through CBOR with names, scaled values and wall times restored', () => {
  const bytes = encodeBatch(input());
  const b = decodeBatch(bytes);
  assert.equal([b.gateway, b.site, b.epoch, b.seq, b.time], ['gw-1', 'demo-street', 7, 42, T]);
  const of = (device: string) => b.series.find((s) => s.device === device)!;
  assert.equal(of('lamp-01'), {
    device: 'lamp-01', kind: 'lamp', metric: 'level', type: 'gauge', unit: '', start: T, durationMs: 60_000,
    n: 3, min: 0.2, max: 1, mean: 0.467, last: 0.2,
  });
  assert.equal(of('park-01').durations, { free: 20_000, occupied: 40_000 });
  assert.equal([of('park-01').lastState, of('park-01').last], ['occupied', 1]);
  assert.is(b.values, 5 + 5 + 4 + 1);
  assert.equal(b.events, [{ device: 'bin-01', kind: 'bin', time: T + 1234, name: 'full', severity: 'alert', value: 82 }]);
});

test('the device and metric tables are shared within a batch', () => {
  const bytes = encodeBatch(input());
  assert.is(decodeBatch(bytes).series.length, 3);
  const wire = bytes.toString('latin1');
  assert.is(wire.split('level').length - 1, 1, "the metric name 'level' is written once");
});

test('batches are plain RFC 8949 CBOR: no tags, definite lengths, nothing trailing', () => {
  assertPlainCbor(encodeBatch(input()));
});

test('malformed batches are refused with the place and the reason', () => {
  const cases: Array<[unknown, RegExp]> = [
    [[1, 2], /expected a map at the top/],
    [{ ...JSON.parse(JSON.stringify(decodeBatchInputWire())), v: 9 }, /batch format 9 is not supported/],
    [{ ...decodeBatchInputWire(), series: [[0, 5, 0, 60000, 1, 1, 1, 1, 1]] }, /series\[0\]\[1\]: metric index 5 is outside/],
    [{ ...decodeBatchInputWire(), events: [[0, 0, 'full', 'panic', 1]] }, /events\[0\]\[3\]: expected one of info, alert, fault/],
    [{ ...decodeBatchInputWire(), epoch: -1 }, /epoch: expected an unsigned integer/],
  ];
  for (const [value, message] of cases) {
    try {
      decodeBatch(encodeCbor(value));
      assert.unreachable('should have thrown');
    } catch (err) {
      assert.instance(err, BatchError);
      assert.match((err as Error).message, message);
    }
  }
});

test('truncated and garbage bytes are refused as not well-formed CBOR', () => {
  const bytes = encodeBatch(input());
  for (const bad of [bytes.subarray(0, bytes.length - 3), Buffer.from([0xff]), Buffer.from([0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])]) {
    try {
      decodeBatch(bad);
      assert.unreachable('should have thrown');
    } catch (err) {
      assert.instance(err, BatchError);
    }
  }
});

test('a time outside the range of dates is refused, not passed on to crash a consumer', () => {
  for (const [wire, where] of [[{ ...decodeBatchInputWire(), t: 9e15 }, /^t: time/], [{ ...decodeBatchInputWire(), events: [[0, 8.7e15, 'x', 'info', 1]] }, /events\[0\]\[1\]: time/]] as const) {
    try {
      decodeBatch(encodeCbor(wire));
      assert.unreachable('should have thrown');
    } catch (err) {
      assert.instance(err, BatchError);
      assert.match((err as Error).message, where);
    }
  }
});

test('an event with a non-finite value still goes out, with value 0 and the reason in its detail', () => {
  const nan: DeviceEvent = { type: 'event', name: 'fire', severity: 'alert', value: NaN, time: 0, detail: 'sensor' };
  const b = decodeBatch(encodeBatch({ ...input(), series: [], events: [{ device: 'bin-01', kind: 'bin', time: T, event: nan }] }));
  assert.equal([b.events[0]!.name, b.events[0]!.value, b.events[0]!.detail], ['fire', 0, 'value was NaN; sensor']);
});

test('metrics that share a name but not their state names get their own table entries', () => {
  const a: MetricSpec = { name: 'mode', kind: 'state', unit: '', scale: 0, states: ['x', 'y'] };
  const b: MetricSpec = { name: 'mode', kind: 'state', unit: '', scale: 0, states: ['p', 'q'] };
  const stats = { kind: 'state' as const, n: 0, last: 1, durations: [[1, 60_000]] as Array<[number, number]> };
  const out = decodeBatch(encodeBatch({ ...input(), events: [], series: [
    { device: 'd1', kind: 'lamp', metric: a, start: T, end: T + 60_000, stats },
    { device: 'd2', kind: 'lamp', metric: b, start: T, end: T + 60_000, stats },
  ] }));
  assert.equal(out.series.map((s) => [s.device, s.lastState]), [['d1', 'y'], ['d2', 'q']]);
});

test('a level series round-trips like a gauge, with its own type', () => {
  const level: MetricSpec = { name: 'level', kind: 'level', unit: '', scale: 3 };
  const out = decodeBatch(encodeBatch({ ...input(), events: [], series: [
    { device: 'lamp-01', kind: 'lamp', metric: level, start: T, end: T + 60_000, stats: { kind: 'level', n: 2, min: 0.2, max: 1, mean: 0.28, last: 0.2 } },
  ] }));
  assert.equal([out.series[0]!.type, out.series[0]!.mean, out.values], ['level', 0.28, 5]);
});

test('encoding a non-finite statistic fails where the batch is made', () => {
  const bad = input();
  bad.series[0]!.stats = { kind: 'gauge', n: 1, min: NaN, max: 1, mean: 1, last: 1 };
  assert.throws(() => encodeBatch(bad), /not a finite number/);
});

test('drop counts travel in the batch when given, and malformed ones are refused', () => {
  const out = decodeBatch(encodeBatch({ ...input(), drops: { 'telemetry-full': 12, refused: 1 } }));
  assert.equal(out.drops, { 'telemetry-full': 12, refused: 1 });
  assert.is(decodeBatch(encodeBatch(input())).drops, undefined);
  assert.throws(() => decodeBatch(encodeCbor({ ...decodeBatchInputWire(), drops: { x: -1 } })), /drops\.x: expected an unsigned integer/);
});

function decodeBatchInputWire(): Record<string, unknown> {
  return { v: 0, gateway: 'g', site: 's', epoch: 1, seq: 1, t: T, devices: [['lamp-01', 'lamp']], metrics: [['level', 'gauge', '', 3]], series: [], events: [] };
}

test.run();
