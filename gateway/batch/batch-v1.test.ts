import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MetricSpec } from '../../firmware/devices/types.js';
import type { WindowStats } from '../aggregate/metric-window.js';
import { decodeCbor, encodeCbor } from './cbor.js';
import { decodeColumn, encodeColumn } from './columns.js';
import { BatchError, decodeBatch, MAX_INFLATED_BYTES } from './decode.js';
import { batchDictionary } from './dictionary.js';
import { buildBatch, encodeBatch, type BatchInput, type SeriesInput } from './encode.js';

const T = Date.UTC(2026, 5, 21, 21, 0);
const level: MetricSpec = { name: 'level', kind: 'level', unit: '', scale: 3 };
const mode: MetricSpec = { name: 'mode', kind: 'state', unit: '', scale: 0, states: ['day', 'base', 'full'] };

function lampWindow(device: string, w: number, lvl: number): SeriesInput {
  const stats: WindowStats = { kind: 'level', n: 1, min: lvl, max: lvl, mean: lvl, last: lvl };
  return { device, kind: 'lamp', metric: level, start: T + w * 60_000, end: T + (w + 1) * 60_000, stats };
}

function twoWindows(): BatchInput {
  const series: SeriesInput[] = [];
  // Given newest device first and the later window first: the table orders them itself.
  for (const w of [1, 0]) for (const [d, lvl] of [['lamp-03', 0.2], ['lamp-01', 0.2], ['lamp-02', 1]] as const) series.push(lampWindow(d, w, lvl));
  return { gateway: 'gw-1', site: 's', epoch: 1, seq: 9, now: T, series, events: [] };
}

test('a column is one integer when every row agrees, else the first value and then differences', () => {
  assert.is(encodeColumn([60_000, 60_000, 60_000]), 60_000);
  assert.equal(encodeColumn([200, 200, 1000, 200]), [200, 0, 800, -800]);
  for (const values of [[5], [0, -3, 7, 7, 1e12], [2 ** 40, -(2 ** 40)]]) assert.equal(decodeColumn(encodeColumn(values), values.length), values);
  assert.throws(() => decodeColumn([1, 2], 3), /expected 3 rows, found 2/);
  assert.throws(() => decodeColumn([1, 0.5], 2), /\[1\]: expected an integer|expected an integer/);
  assert.throws(() => decodeColumn([Number.MAX_SAFE_INTEGER, 1], 2), /running sum leaves the safe integers/);
});

test("a metric's windows form one table, rows ordered by start then device, columns delta-encoded", () => {
  const wire = buildBatch(twoWindows());
  assert.equal(wire.devices, [['lamp', 'lamp-0', ['3', '1', '2']]], 'devices grouped by kind, their common prefix written once');
  assert.is(wire.series!.length, 1);
  const [metric, rows, device, start, length, n, min] = wire.series![0]!;
  assert.equal([metric, rows], [0, 6]);
  assert.equal(device, [0, 1, 1, -2, 1, 1], 'device indexes as differences');
  assert.equal(start, [0, 0, 0, 60_000, 0, 0], 'window starts as differences');
  assert.is(length, 60_000, 'one length for every row');
  assert.is(n, 1, 'one n for every row');
  assert.equal(min, [200, 0, 800, -800, 0, 800]);
  const b = decodeBatch(encodeBatch(twoWindows()));
  assert.equal(b.series.map((s) => [s.device, s.start - T, s.last]), [
    ['lamp-03', 0, 0.2], ['lamp-01', 0, 0.2], ['lamp-02', 0, 1], ['lamp-03', 60_000, 0.2], ['lamp-01', 60_000, 0.2], ['lamp-02', 60_000, 1],
  ]);
  assert.is(b.values, 30);
});

test('a state table has a duration column only for the states some row was in', () => {
  const st = (last: number, durations: Array<[number, number]>): WindowStats => ({ kind: 'state', n: durations.length - 1, last, durations });
  const series: SeriesInput[] = [
    { device: 'a', kind: 'lamp', metric: mode, start: T, end: T + 60_000, stats: st(1, [[1, 60_000]]) },
    { device: 'b', kind: 'lamp', metric: mode, start: T, end: T + 60_000, stats: st(2, [[1, 45_000], [2, 15_000]]) },
  ];
  const wire = buildBatch({ gateway: 'g', site: 's', epoch: 1, seq: 1, now: T, series, events: [] });
  const table = wire.series![0]!;
  assert.equal(table.slice(6), [[1, 1], [1, 2], [60_000, -15_000], [0, 15_000]], 'last, visited states, base ms, full ms');
  const b = decodeBatch(encodeCbor(wire));
  assert.equal(b.series.map((s) => [s.lastState, s.durations]), [['base', { base: 60_000 }], ['full', { base: 45_000, full: 15_000 }]]);
  assert.is(b.values, 3 + 4);
});

test('events travel as columns with a name table, severities by number and details only when any has one', () => {
  const ev = (device: string, dt: number, name: string, severity: 'info' | 'alert', value: number, detail = '') =>
    ({ device, kind: 'parking' as const, time: T + dt, event: { type: 'event' as const, name, severity, value, time: 0, detail } });
  const input: BatchInput = { gateway: 'g', site: 's', epoch: 1, seq: 1, now: T, series: [], events: [ev('p2', 900, 'free', 'info', 0), ev('p1', 100, 'occupied', 'info', 1)] };
  const wire = buildBatch(input);
  assert.equal(wire.events, [['occupied', 'free'], 2, [1, -1], [0, 800], [0, 1], 0, [1, 0]]);
  const withDetail = decodeBatch(encodeBatch({ ...input, events: [...input.events, ev('p1', 50, 'sensor-range', 'alert', 3.5, 'field out of range')] }));
  assert.equal(withDetail.events.map((e) => [e.device, e.time - T, e.name, e.severity, e.value, e.detail]), [
    ['p1', 50, 'sensor-range', 'alert', 3.5, 'field out of range'], ['p1', 100, 'occupied', 'info', 1, undefined], ['p2', 900, 'free', 'info', 0, undefined],
  ]);
});

test('a deflated batch keeps its header in the clear and decodes to the same windows and events', () => {
  const plain = encodeBatch(twoWindows());
  const packed = encodeBatch(twoWindows(), { compression: 'deflate' });
  const top = decodeCbor(packed) as Record<string, unknown>;
  assert.equal([top.v, top.gateway, top.epoch, top.seq, top.z, top.dict], [1, 'gw-1', 1, 9, 'deflate', 1]);
  assert.instance(top.body, Uint8Array);
  const a = decodeBatch(plain);
  const b = decodeBatch(packed);
  assert.is(b.compression, 'deflate');
  delete b.compression;
  assert.equal(b, a);
});

test('the preset dictionary is frozen: batches in spools and archives name it by number', () => {
  const d = batchDictionary(1);
  assert.is(crypto.createHash('sha256').update(d).digest('hex'), '9b38d6f7cca505a3ebbca76bf2ed6ad0555f54bea5e8c33e7446bd608d92de54');
  assert.throws(() => batchDictionary(2), /no batch dictionary 2/);
});

test('version 0 batches, written before the upgrade, still decode', () => {
  const v0 = { v: 0, gateway: 'g', site: 's', epoch: 1, seq: 3, t: T, devices: [['park-01', 'parking']], metrics: [['occupied', 'state', '', 0, ['free', 'occupied']]],
    series: [[0, 0, 0, 60_000, 1, 1, [[0, 20_000], [1, 40_000]]]], events: [[0, 5, 'occupied', 'info', 1]], drops: { refused: 2 } };
  const b = decodeBatch(encodeCbor(v0));
  assert.equal([b.v, b.series[0]!.lastState, b.series[0]!.durations, b.events[0]!.name, b.values, b.drops], [0, 'occupied', { free: 20_000, occupied: 40_000 }, 'occupied', 5, { refused: 2 }]);
});

function refused(bytes: Uint8Array, message: RegExp, code?: string): void {
  try {
    decodeBatch(bytes);
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, BatchError);
    assert.match((err as Error).message, message);
    if (code) assert.is((err as BatchError).code, code);
  }
}

test('malformed version 1 batches are refused with the place and the reason', () => {
  const wire = (): Record<string, any> => buildBatch(twoWindows()) as unknown as Record<string, any>;
  const edit = (f: (w: Record<string, any>) => void): Buffer => {
    const w = wire();
    f(w);
    return encodeCbor(w);
  };
  refused(edit((w) => { w.series[0][1] = 1e12; w.series[0][2] = 0; w.series[0][3] = 0; }), /series\[0\]\[1\]: 1000000000000 rows, but the device and time columns hold 1/);
  refused(edit((w) => { w.series[0][2] = [0, 1, 1, -2, 1, 0]; }), /series\[0\]\[3\]\[5\]: rows must be ordered by start, then device/);
  refused(edit((w) => { w.series[0][2] = [0, 1, 1, -2, 1, 9]; }), /series\[0\]\[2\]\[5\]: device index 10 is outside the device table of 3/);
  refused(edit((w) => { w.series[0][6] = [1, 2]; }), /series\[0\]\[6\]: expected 6 rows, found 2/);
  refused(edit((w) => { w.series[0].pop(); }), /series\[0\]: a level table has 10 items, found 9/);
  refused(edit((w) => { w.series[0][0] = 4; }), /series\[0\]\[0\]: metric index 4 is outside the metric table of 1/);
  refused(edit((w) => { w.devices = [['tram', '', ['x']]]; }), /devices\[0\]\[0\]: expected one of lamp, parking, bin/);
  refused(edit((w) => { w.devices = [['lamp', ['x']]]; }), /devices\[0\]: expected \[kind, prefix, suffixes\], found 2 items/);
  refused(edit((w) => { w.metrics[0][3] = 400; }), /metrics\[0\]\[3\]: scale 400 is outside/);
  refused(edit((w) => { w.events = [['full'], 3, 0, [0, 1, 1], 0, 0, [1]]; }), /events\[6\]: expected 3 values, found 1/);
  refused(edit((w) => { w.events = [['full'], 1, 0, 0, 0, 7, [1]]; }), /events\[5\]\[0\]: severity index 7 is outside/);
  refused(edit((w) => { w.v = 2; }), /batch format 2 is not supported/, 'E_BATCH_VERSION');
});

test('a compressed body that is not what it claims is refused, and a small one cannot claim gigabytes', () => {
  const header = { v: 1, gateway: 'g', site: 's', epoch: 1, seq: 1 };
  const body = (obj: unknown, dict = batchDictionary()) => zlib.deflateRawSync(encodeCbor(obj), { dictionary: dict });
  const good = encodeBatch(twoWindows(), { compression: 'deflate' });
  const goodTop = decodeCbor(good) as Record<string, unknown>;
  refused(encodeCbor({ ...goodTop, z: 'gzip' }), /z: expected one of deflate/);
  refused(encodeCbor({ ...goodTop, dict: 7 }), /dict: dictionary 7 is not known/, 'E_BATCH_DEFLATE');
  refused(encodeCbor({ ...goodTop, dict: 0 }), /body: cannot be inflated/, 'E_BATCH_DEFLATE');
  refused(encodeCbor({ ...goodTop, body: (goodTop.body as Uint8Array).subarray(0, 10) }), /body: cannot be inflated/);
  refused(encodeCbor({ ...goodTop, t: T }), /^t: a compressed batch carries this inside its body/);
  refused(encodeCbor({ ...header, z: 'deflate', dict: 1, body: body([1, 2]) }), /body: expected a map/);
  const bomb = zlib.deflateRawSync(Buffer.alloc(MAX_INFLATED_BYTES + 1024), { dictionary: batchDictionary() });
  assert.ok(bomb.length < 64 * 1024, 'the bomb is small');
  refused(encodeCbor({ ...header, z: 'deflate', dict: 1, body: bomb }), /body: cannot be inflated/, 'E_BATCH_DEFLATE');
  // An uncompressed body (dict 0) is fine too: a consumer may re-pack without the dictionary.
  const plainBody = { ...(buildBatch(twoWindows()) as unknown as Record<string, unknown>) };
  for (const k of Object.keys(header)) delete plainBody[k];
  assert.is(decodeBatch(encodeCbor({ ...header, z: 'deflate', dict: 0, body: zlib.deflateRawSync(encodeCbor(plainBody)) })).series.length, 6);
});

test.run();
