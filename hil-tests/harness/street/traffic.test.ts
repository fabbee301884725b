import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MockHal } from '../mock-hal.js';
import { VirtualClock } from '../virtual-clock.js';
import { SimulatedStreet } from './simulated-street.js';

const HOUR = 3600000;

/** One lamp; the clock starts at 00:00 UTC = 02:00 local (Amsterdam, summer). */
function runStreet(seed: number, hours: number, intensity = 1) {
  const clock = new VirtualClock({ startWall: Date.UTC(2026, 5, 21, 0, 0, 0) });
  const hal = new MockHal(clock);
  const street = new SimulatedStreet({
    clock, hal, seed, intensity, devices: [{ id: 'lamp', kind: 'lamp', x: 100, pins: { pir: 'PIR' } }],
  });
  street.start();
  clock.advance(hours * HOUR);
  return street;
}

/** Motion pulses during local hour `h` (the run starts at local 02:00). */
function pulsesAt(street: SimulatedStreet, localHour: number): number {
  const from = (localHour - 2) * HOUR;
  return street.truth.motionCount('lamp', from, from + HOUR);
}

test('traffic is much busier at 08:00 than at 03:00, whatever the seed', () => {
  for (const seed of [1, 2, 3, 4]) {
    const street = runStreet(seed, 7);
    const night = pulsesAt(street, 3);
    const rush = pulsesAt(street, 8);
    assert.ok(rush > 3 * night + 20, `seed ${seed}: 03:00 ${night}, 08:00 ${rush}`);
  }
});

test('evening 23:00 still has some traffic, less than the 17:00 rush', () => {
  const street = runStreet(5, 22);
  const late = pulsesAt(street, 23);
  const rush = pulsesAt(street, 17);
  assert.ok(late > 0 && late < rush, `23:00 ${late}, 17:00 ${rush}`);
});

test('the local UTC offset decides when the rush hour comes', () => {
  // Monotonic 02:00–03:00 after a 00:00 UTC start is 08:00 local at UTC+6 but 02:00 at UTC+0.
  const pulses = (utcOffsetMin: number) => {
    const clock = new VirtualClock({ startWall: Date.UTC(2026, 5, 21, 0, 0, 0) });
    const hal = new MockHal(clock);
    const street = new SimulatedStreet({
      clock, hal, seed: 6, utcOffsetMin, devices: [{ id: 'lamp', kind: 'lamp', x: 100, pins: { pir: 'PIR' } }],
    });
    street.start();
    clock.advance(3 * HOUR);
    return street.truth.motionCount('lamp', 2 * HOUR, 3 * HOUR);
  };
  const rush = pulses(360);
  const night = pulses(0);
  assert.ok(rush > 3 * night + 20, `UTC+6 ${rush}, UTC+0 ${night}`);
});

test('intensity 0 sends nobody down the street', () => {
  const street = runStreet(7, 24, 0);
  assert.equal(street.truth.motionTimes('lamp'), []);
});

test('snapshot counts the passers-by in view of a lamp', () => {
  const clock = new VirtualClock();
  const hal = new MockHal(clock);
  const street = new SimulatedStreet({
    clock, hal, seed: 8, intensity: 0, devices: [{ id: 'lamp', kind: 'lamp', x: 100, pins: { pir: 'PIR' } }],
  });
  street.start();
  street.spawn({ kind: 'pedestrian', fromEnd: 'west', speedMps: 1 }); // x 90 at 0 s, in view 4 s .. 16 s
  street.spawn({ kind: 'pedestrian', fromEnd: 'west', speedMps: 1, atMs: 2000 });
  const inView = () => {
    const lamp = street.snapshot().devices[0]!;
    return lamp.kind === 'lamp' ? lamp.passersInView : -1;
  };
  assert.is(inView(), 0);
  clock.advanceTo(7000);
  assert.is(inView(), 2);
  clock.advanceTo(17000);
  assert.is(inView(), 1);
  clock.advanceTo(30000);
  assert.is(inView(), 0);
});

test.run();
