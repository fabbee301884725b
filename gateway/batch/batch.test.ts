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
  assert.equal(b.series[0], {
    device: 'lamp-01', kind: 'lamp', metric: 'level', type: 'gauge', unit: '', start: T, durationMs: 60_000,
    n: 3, min: 0.2, max: 1, mean: 0.467, last: 0.2,
  });
  assert.equal(b.series[1]!.durations, { free: 20_000, occupied: 40_000 });
  assert.is(b.series[1]!.lastState, 'occupied');
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

function decodeBatchInputWire(): Record<string, unknown> {
  return { v: 0, gateway: 'g', site: 's', epoch: 1, seq: 1, t: T, devices: [['lamp-01', 'lamp']], metrics: [['level', 'gauge', '', 3]], series: [], events: [] };
}

test.run();
