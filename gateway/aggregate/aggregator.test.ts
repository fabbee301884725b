import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock } from '../../hil-tests/harness/virtual-clock.js';
import type { MetricSpec } from '../../firmware/devices/types.js';
import { Aggregator } from './aggregator.js';

const level: MetricSpec = { name: 'level', kind: 'gauge', unit: '', scale: 3 };
const motion: MetricSpec = { name: 'motion', kind: 'count', unit: '', scale: 0 };
const occupied: MetricSpec = { name: 'occupied', kind: 'state', unit: '', scale: 0, states: ['free', 'occupied'] };

function setup() {
  const clock = new VirtualClock();
  const agg = new Aggregator(clock);
  agg.addDevice('d1', [level, motion, occupied], 60_000);
  return { clock, agg };
}

test('a gauge window reports count, min, max, mean and last', () => {
  const { clock, agg } = setup();
  for (const v of [0.2, 1, 0.6]) {
    clock.advance(10_000);
    agg.add('d1', { type: 'reading', metric: 'level', value: v, time: clock.now() });
  }
  clock.advance(30_000);
  const [s] = agg.take();
  assert.equal(s!.stats, { kind: 'gauge', n: 3, min: 0.2, max: 1, mean: 0.6, last: 0.6 });
  assert.is(s!.start, 0);
  assert.is(s!.end, 60_000);
});

test('counts sum their increments and empty windows say nothing', () => {
  const { clock, agg } = setup();
  agg.add('d1', { type: 'reading', metric: 'motion', value: 1, time: 0 });
  agg.add('d1', { type: 'reading', metric: 'motion', value: 1, time: 0 });
  clock.advance(60_000);
  assert.equal(agg.take().map((s) => s.stats), [{ kind: 'count', n: 2, sum: 2 }]);
  clock.advance(60_000);
  assert.equal(agg.take(), []);
});

test('state durations are time-weighted and carry into the next window', () => {
  const { clock, agg } = setup();
  clock.advance(15_000);
  agg.add('d1', { type: 'reading', metric: 'occupied', value: 0, time: clock.now() });
  clock.advance(15_000);
  agg.add('d1', { type: 'reading', metric: 'occupied', value: 1, time: clock.now() });
  clock.advance(30_000);
  const first = agg.take();
  assert.equal(first[0]!.stats, { kind: 'state', n: 2, last: 1, durations: [[0, 15_000], [1, 30_000]] });
  clock.advance(60_000);
  const second = agg.take();
  assert.equal(second[0]!.stats, { kind: 'state', n: 0, last: 1, durations: [[1, 60_000]] });
});

test('each device closes windows on its own period', () => {
  const clock = new VirtualClock();
  const agg = new Aggregator(clock);
  agg.addDevice('fast', [level], 10_000);
  agg.addDevice('slow', [level], 30_000);
  for (let t = 0; t < 30_000; t += 5_000) {
    agg.add('fast', { type: 'reading', metric: 'level', value: 1, time: t });
    agg.add('slow', { type: 'reading', metric: 'level', value: 1, time: t });
    clock.advance(5_000);
  }
  const closed = agg.take().map((s) => `${s.device}:${s.start}-${s.end}`).sort();
  assert.equal(closed, ['fast:0-10000', 'fast:10000-20000', 'fast:20000-30000', 'slow:0-30000']);
});

test('readings of undeclared metrics or devices are counted, not aggregated', () => {
  const { agg } = setup();
  agg.add('d1', { type: 'reading', metric: 'bogus', value: 1, time: 0 });
  agg.add('nobody', { type: 'reading', metric: 'level', value: 1, time: 0 });
  agg.flushAll();
  assert.is(agg.unknownMetricCount(), 2);
  assert.equal(agg.take(), []);
});

test('flushAll closes open windows so nothing accepted is lost at shutdown', () => {
  const { clock, agg } = setup();
  clock.advance(1_000);
  agg.add('d1', { type: 'reading', metric: 'level', value: 0.5, time: clock.now() });
  clock.advance(1_000);
  agg.flushAll();
  const [s] = agg.take();
  assert.is(s!.end, 2_000);
  assert.is((s!.stats as { last: number }).last, 0.5);
});

test('a level is time-weighted and carried: 1 for 6 s then 0.2 for 54 s means 0.28', () => {
  const clock = new VirtualClock();
  const agg = new Aggregator(clock);
  const held: MetricSpec = { name: 'level', kind: 'level', unit: '', scale: 3 };
  agg.addDevice('lamp', [held], 60_000);
  agg.add('lamp', { type: 'reading', metric: 'level', value: 1, time: 0 });
  clock.advance(6_000);
  agg.add('lamp', { type: 'reading', metric: 'level', value: 0.2, time: 6_000 });
  clock.advance(54_000);
  const [first] = agg.take();
  assert.is(first!.stats.kind, 'level');
  const s = first!.stats as { mean: number; min: number; max: number; last: number; n: number };
  assert.ok(Math.abs(s.mean - 0.28) < 1e-9, `mean ${s.mean}`);
  assert.equal([s.n, s.min, s.max, s.last], [2, 0.2, 1, 0.2]);
  clock.advance(60_000);
  const [quiet] = agg.take();
  assert.equal(quiet!.stats, { kind: 'level', n: 0, min: 0.2, max: 0.2, mean: 0.2, last: 0.2 }, 'a quiet window still reports the held level');
});

test('a state counts changes, not heartbeats repeating the same value', () => {
  const { clock, agg } = setup();
  for (const v of [0, 0, 1, 1, 1, 0]) {
    agg.add('d1', { type: 'reading', metric: 'occupied', value: v, time: clock.now() });
    clock.advance(5_000);
  }
  clock.advance(30_000);
  assert.is((agg.take()[0]!.stats as { n: number }).n, 3, 'unknown->free, free->occupied, occupied->free');
});

test('a state reading that is not a state number is dropped and counted, never batched', () => {
  const clock = new VirtualClock();
  const agg = new Aggregator(clock);
  agg.addDevice('p', [occupied], 60_000);
  agg.add('p', { type: 'reading', metric: 'occupied', value: 1, time: 0 });
  agg.add('p', { type: 'reading', metric: 'occupied', value: 0.5, time: 10_000 });
  agg.add('p', { type: 'reading', metric: 'occupied', value: -1, time: 20_000 });
  clock.advance(60_000);
  const [w] = agg.take();
  assert.equal(w!.stats, { kind: 'state', n: 1, last: 1, durations: [[1, 60_000]] });
  assert.is(agg.nonFiniteCount(), 2);
});

test('non-finite readings are dropped and counted, never aggregated', () => {
  const { clock, agg } = setup();
  agg.add('d1', { type: 'reading', metric: 'level', value: NaN, time: 0 });
  agg.add('d1', { type: 'reading', metric: 'level', value: Infinity, time: 0 });
  agg.add('d1', { type: 'reading', metric: 'level', value: 0.5, time: 0 });
  clock.advance(60_000);
  assert.is(agg.nonFiniteCount(), 2);
  assert.is((agg.take()[0]!.stats as { n: number }).n, 1);
});

test.run();
