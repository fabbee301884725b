import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { EdgeEvent } from '../../../firmware/hal/pins.js';
import { MockHal } from '../mock-hal.js';
import { VirtualClock } from '../virtual-clock.js';
import { SimulatedStreet } from './simulated-street.js';
import type { StreetDevice } from './simulated-street.js';

/** Lamps at the given x; the street's west end is 10 m before the first. No random traffic. */
function quietStreet(xs: number[], intensity = 0) {
  const clock = new VirtualClock();
  const hal = new MockHal(clock);
  const devices: StreetDevice[] = xs.map((x, i) => ({ id: `lamp${i}`, kind: 'lamp', x, pins: { pir: `PIR${i}` } }));
  const street = new SimulatedStreet({ clock, hal, devices, seed: 11, intensity });
  street.start();
  return { clock, hal, street };
}

function near(actual: number[], expected: number[]) {
  assert.is(actual.length, expected.length, `got ${JSON.stringify(actual)}`);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]!) < 1e-6, `got ${a}, expected ${expected[i]}`));
}

test('a pedestrian walking by raises each PIR while within 6 m and holds it 2 s after', () => {
  const { clock, hal, street } = quietStreet([50, 100]);
  assert.is(street.westM, 40);
  street.spawn({ kind: 'pedestrian', atMs: 1000, fromEnd: 'west', speedMps: 2 });
  // lamp0 (x 50): in range from x 44 to 56 -> 2 s .. 8 s after entry, + 2 s hold.
  clock.advanceTo(2999);
  assert.is(hal.level('PIR0'), 0);
  clock.advanceTo(3000);
  assert.is(hal.level('PIR0'), 1);
  clock.advanceTo(10999);
  assert.is(hal.level('PIR0'), 1);
  clock.advanceTo(11000);
  assert.is(hal.level('PIR0'), 0);
  // lamp1 (x 100): x 94 .. 106 -> 27 s .. 33 s after entry.
  clock.advanceTo(60000);
  near(street.truth.motionTimes('lamp0'), [3000]);
  near(street.truth.motionTimes('lamp1'), [28000]);
});

test('walking from the east reaches the eastern lamp first', () => {
  const { clock, street } = quietStreet([50, 100]);
  assert.is(street.eastM, 110);
  street.spawn({ kind: 'pedestrian', atMs: 0, fromEnd: 'east', speedMps: 1 });
  clock.advance(120000);
  near(street.truth.motionTimes('lamp1'), [4000]);
  near(street.truth.motionTimes('lamp0'), [54000]);
});

test('a controller watching the pin sees the same rising edges as the ground truth', () => {
  const { clock, hal, street } = quietStreet([50]);
  const seen: EdgeEvent[] = [];
  hal.digitalIn({ pin: 'PIR0', edge: 'rising', debounceMs: 50, onEdge: (e) => seen.push(e) });
  street.spawn({ kind: 'car', atMs: 500, fromEnd: 'west', speedMps: 10 });
  clock.advance(10000);
  assert.is(seen.length, 1);
  near(seen.map((e) => e.time), street.truth.motionTimes('lamp0'));
});

test('a group walking together makes one pulse', () => {
  const { clock, street } = quietStreet([50]);
  street.spawn({ kind: 'pedestrian', atMs: 0, fromEnd: 'west', speedMps: 1.4 });
  street.spawn({ kind: 'pedestrian', atMs: 1500, fromEnd: 'west', speedMps: 1.3 });
  street.spawn({ kind: 'pedestrian', atMs: 4000, fromEnd: 'east', speedMps: 1.2 });
  clock.advance(60000);
  assert.is(street.truth.motionTimes('lamp0').length, 1);
});

test('a new pulse never starts within 250 ms of the previous fall', () => {
  const { clock, hal, street } = quietStreet([50]);
  street.spawn({ kind: 'pedestrian', atMs: 0, fromEnd: 'west', speedMps: 2 }); // high 2000..10000
  clock.advanceTo(10000);
  assert.is(hal.level('PIR0'), 0);
  street.spawn({ kind: 'car', fromEnd: 'west', speedMps: 40 }); // would enter range at 10100
  clock.advanceTo(10249);
  assert.is(hal.level('PIR0'), 0);
  clock.advanceTo(10250);
  assert.is(hal.level('PIR0'), 1);
  near(street.truth.motionTimes('lamp0'), [2000, 10250]);
});

test('over a busy day, pulses stay 250 ms apart and a 200 ms debounce counts exactly the true ones', () => {
  const { clock, hal, street } = quietStreet([0, 30, 60, 90], 1);
  // lamp0: every raw edge, to check the spacing; the others: what a debounced controller sees.
  const raw: EdgeEvent[] = [];
  hal.digitalIn({ pin: 'PIR0', edge: 'both', debounceMs: 0, onEdge: (e) => raw.push(e) });
  const rises = new Map<string, number[]>();
  for (let i = 1; i < 4; i++) {
    const times: number[] = [];
    rises.set(`lamp${i}`, times);
    hal.digitalIn({ pin: `PIR${i}`, edge: 'rising', debounceMs: 200, onEdge: (e) => times.push(e.time) });
  }
  clock.advance(24 * 3600000);
  assert.ok(raw.length > 200, `only ${raw.length} raw edges`);
  for (let i = 1; i < raw.length; i++) {
    assert.is.not(raw[i]!.value, raw[i - 1]!.value);
    assert.ok(raw[i]!.time - raw[i - 1]!.time >= 250, `edges ${raw[i - 1]!.time} -> ${raw[i]!.time}`);
  }
  for (const [id, times] of rises) {
    const truth = street.truth.motionTimes(id);
    assert.ok(truth.length > 100, `${id}: only ${truth.length} pulses`);
    assert.equal(times, truth, id);
  }
});

test.run();
