import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MockHal } from '../mock-hal.js';
import { VirtualClock } from '../virtual-clock.js';
import { SimulatedStreet } from './simulated-street.js';
import type { StreetDevice } from './simulated-street.js';

const HOUR = 3600000;
const MIN = 60000;

function parkingStreet(devices: StreetDevice[], seed = 21, intensity = 1) {
  const clock = new VirtualClock();
  const hal = new MockHal(clock);
  const street = new SimulatedStreet({ clock, hal, devices, seed, intensity });
  street.start();
  return { clock, hal, street };
}

function space(i: number, sensor: 'magnetometer' | 'distance' = 'magnetometer'): StreetDevice {
  const pins: Record<string, string> = sensor === 'magnetometer' ? { field: `F${i}` } : { trigger: `T${i}`, echo: `E${i}` };
  return { id: `space${i}`, kind: 'parking', x: 10 + 6 * i, pins, sensor };
}

test('stays never overlap: changes alternate occupied/free with time moving forward', () => {
  const devices = [0, 1, 2, 3, 4, 5].map((i) => space(i));
  const { clock, street } = parkingStreet(devices);
  clock.advance(48 * HOUR);
  let stays = 0;
  for (const d of devices) {
    const changes = street.truth.occupancyChanges(d.id);
    assert.ok(changes.length >= 4, `${d.id}: ${changes.length} changes`);
    changes.forEach((c, i) => {
      assert.is(c.occupied, i % 2 === 0, `${d.id} change ${i}`);
      if (i > 0) assert.ok(c.time > changes[i - 1]!.time, `${d.id} change ${i} goes back in time`);
      // Between cars: the leaving manoeuvre, turnover and the next arrival's manoeuvre.
      if (i > 0 && c.occupied) assert.ok(c.time - changes[i - 1]!.time > 20000);
    });
    stays += Math.floor(changes.length / 2);
  }
  assert.ok(stays > 30, `only ${stays} stays`);
});

test('stays last from minutes to a night, with a median near 45 minutes', () => {
  const devices = Array.from({ length: 20 }, (_, i) => space(i));
  const { clock, street } = parkingStreet(devices, 22);
  clock.advance(72 * HOUR);
  const durations: number[] = [];
  for (const d of devices) {
    const c = street.truth.occupancyChanges(d.id);
    for (let i = 0; i + 1 < c.length; i += 2) durations.push(c[i + 1]!.time - c[i]!.time);
  }
  durations.sort((a, b) => a - b);
  const median = durations[Math.floor(durations.length / 2)]! / MIN;
  assert.ok(median > 30 && median < 75, `median ${median} min of ${durations.length}`);
  assert.ok(durations[0]! >= 3 * MIN);
  assert.ok(durations.some((d) => d > 9 * HOUR), 'nobody stayed the night');
});

test('the magnetometer field rises by tens of µT while a car is parked', () => {
  const { clock, hal, street } = parkingStreet([space(0)], 23);
  const field = hal.analogIn({ pin: 'F0' });
  const toUt = (raw: number) => raw * 200 - 100; // the default calibration
  const free: number[] = [];
  const parked: number[] = [];
  for (let t = 0; t < 36 * HOUR; t += MIN) {
    clock.advanceTo(t);
    const snap = street.snapshot().devices[0]!;
    if (snap.kind !== 'parking' || (snap.carShare > 0 && !snap.occupied)) continue; // mid-manoeuvre
    (street.truth.occupiedAt('space0', t) ? parked : free).push(toUt(field.read()));
  }
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(parked.length > 30 && free.length > 30, `${parked.length} parked, ${free.length} free samples`);
  assert.ok(mean(free) > 35 && mean(free) < 56, `free mean ${mean(free)} µT`);
  assert.ok(mean(parked) - mean(free) > 25, `parked ${mean(parked)} vs free ${mean(free)} µT`);
});

test('a passing car gives a free space only a brief, small disturbance', () => {
  const { clock, hal, street } = parkingStreet([space(0)], 24, 0);
  const field = hal.analogIn({ pin: 'F0' });
  const toUt = (raw: number) => raw * 200 - 100;
  clock.advanceTo(60000);
  assert.not.ok(street.truth.occupiedAt('space0', 60000), 'this seed must give a free space at 1 min');
  const quiet = street.snapshot().devices[0]!;
  const base = quiet.kind === 'parking' ? quiet.fieldUt! : NaN;
  street.spawn({ kind: 'car', fromEnd: 'west', speedMps: 10 }); // the space is 10 m from the west end: 1 s
  let maxDev = 0;
  for (let t = 60000; t <= 63000; t += 50) {
    clock.advanceTo(t);
    maxDev = Math.max(maxDev, Math.abs(toUt(field.read()) - base));
  }
  clock.advanceTo(64500);
  const after = street.snapshot().devices[0]!;
  assert.ok(maxDev > 1 && maxDev < 12, `max deviation ${maxDev} µT`);
  assert.ok(after.kind === 'parking' && Math.abs(after.fieldUt! - base) < 0.1, 'the bump outlasted 3 s');
});

test('an upward-looking ultrasonic sees the car underside while parked and nothing near when free', () => {
  const { clock, hal, street } = parkingStreet([space(0, 'distance')], 25);
  const sonar = hal.pulseIn({ trigger: 'T0', echo: 'E0', triggerUs: 10, timeoutMs: 30 });
  const widthAt = (cm: number) => (2 * cm) / 0.0343; // ~20 °C is close enough for a bound
  let parkedSamples = 0;
  let freeSamples = 0;
  for (let t = 0; t < 30 * HOUR; t += MIN) {
    clock.advanceTo(t);
    const snap = street.snapshot().devices[0]!;
    if (snap.kind !== 'parking' || (snap.carShare > 0 && !snap.occupied)) continue;
    const occupied = street.truth.occupiedAt('space0', t);
    let us = NaN;
    sonar.measure((w) => (us = w));
    clock.advance(31);
    if (occupied) {
      parkedSamples++;
      assert.ok(us > widthAt(17) && us < widthAt(43), `parked echo ${us} µs`);
    } else {
      freeSamples++;
      assert.ok(us === -1 || us > widthAt(240), `free echo ${us} µs`);
    }
  }
  assert.ok(parkedSamples > 30 && freeSamples > 30, `${parkedSamples} parked, ${freeSamples} free`);
});

test.run();
