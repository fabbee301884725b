import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MockHal } from '../mock-hal.js';
import { VirtualClock } from '../virtual-clock.js';
import { SimulatedStreet } from './simulated-street.js';
import type { StreetDevice } from './simulated-street.js';

const HOUR = 3600000;

/** A 500 m street: 20 lamps with light sensors, 30 spaces (a third ultrasonic), 10 bins. */
function fullStreet(): StreetDevice[] {
  const devices: StreetDevice[] = [];
  for (let i = 0; i < 20; i++) devices.push({ id: `lamp${i}`, kind: 'lamp', x: i * 25, pins: { pir: `P${i}`, light: `L${i}` } });
  for (let i = 0; i < 30; i++) {
    const pins: Record<string, string> = i % 3 === 0 ? { trigger: `ST${i}`, echo: `SE${i}` } : { field: `F${i}` };
    devices.push({ id: `space${i}`, kind: 'parking', x: 5 + i * 16, pins });
  }
  for (let i = 0; i < 10; i++) {
    devices.push({ id: `bin${i}`, kind: 'bin', x: 12 + i * 48, pins: { trigger: `BT${i}`, echo: `BE${i}`, lid: `BL${i}`, temp: `BC${i}` } });
  }
  return devices;
}

function run(seed: number, hours: number, devices = fullStreet()) {
  const clock = new VirtualClock();
  const hal = new MockHal(clock);
  const street = new SimulatedStreet({ clock, hal, devices, seed });
  street.start();
  clock.advance(hours * HOUR);
  return { clock, hal, street };
}

test('the same seed gives an identical ground truth; another seed a different one', () => {
  const a = JSON.stringify(run(99, 6).street.truth);
  const b = JSON.stringify(run(99, 6).street.truth);
  const c = JSON.stringify(run(100, 6).street.truth);
  assert.ok(a === b, 'same seed, different truth');
  assert.ok(a !== c, 'different seeds, same truth');
});

test('reading sensors does not change the ground truth', () => {
  const quiet = JSON.stringify(run(5, 4).street.truth);
  const clock = new VirtualClock();
  const hal = new MockHal(clock);
  const street = new SimulatedStreet({ clock, hal, devices: fullStreet(), seed: 5 });
  street.start();
  const field = hal.analogIn({ pin: 'F1' });
  const temp = hal.analogIn({ pin: 'BC0' });
  const sonar = hal.pulseIn({ trigger: 'BT0', echo: 'BE0', triggerUs: 10, timeoutMs: 30 });
  const sample = () => {
    field.read();
    temp.read();
    sonar.measure(() => {});
  };
  clock.setInterval(sample, 1000);
  clock.advance(4 * HOUR);
  assert.ok(JSON.stringify(street.truth) === quiet);
});

test('a full day of 20 lamps, 30 spaces and 10 bins runs and produces truth for every device', () => {
  const { street, clock } = run(7, 24);
  assert.is(clock.now(), 24 * HOUR);
  for (let i = 0; i < 20; i++) assert.ok(street.truth.motionTimes(`lamp${i}`).length > 100, `lamp${i}`);
  for (let i = 0; i < 30; i++) assert.ok(street.truth.occupancyChanges(`space${i}`).length >= 2, `space${i}`);
  for (let i = 0; i < 10; i++) assert.is(street.truth.emptyingTimes(`bin${i}`).length, 1, `bin${i}`);
});

test('stop clears every timer of the street and the pins stop changing', () => {
  const { street, clock, hal } = run(8, 9);
  street.stop();
  assert.is(clock.pending(), 0);
  const before = JSON.stringify(street.truth);
  const levels = Array.from({ length: 20 }, (_, i) => hal.level(`P${i}`));
  clock.advance(6 * HOUR);
  assert.ok(JSON.stringify(street.truth) === before);
  assert.equal(Array.from({ length: 20 }, (_, i) => hal.level(`P${i}`)), levels);
  assert.throws(() => street.start(), (e: { code?: string }) => e.code === 'E_STREET_STATE');
});

test('a bad device list is refused with every problem listed', () => {
  const clock = new VirtualClock();
  const hal = new MockHal(clock);
  const devices = [
    { id: 'a', kind: 'lamp', x: 0, pins: {} },
    { id: 'a', kind: 'bin', x: 5, pins: { trigger: 'T', echo: 'E', lid: 'L' } },
    { id: 'c', kind: 'parking', x: Number.NaN, pins: { field: 'T' } },
  ] as StreetDevice[];
  try {
    new SimulatedStreet({ clock, hal, devices, seed: 1 });
    assert.unreachable('should have thrown');
  } catch (e) {
    const err = e as { code?: string; message: string };
    assert.is(err.code, 'E_STREET_CONFIG');
    for (const part of ["'pir' pin", "'temp' pin", 'used twice', 'x must be', 'pin T is given to both']) {
      assert.ok(err.message.includes(part), `missing "${part}" in: ${err.message}`);
    }
  }
});

test('unknown ids are typed errors', () => {
  const { street } = run(9, 0);
  assert.throws(() => street.igniteBin('lamp0'), (e: { code?: string }) => e.code === 'E_STREET_UNKNOWN_DEVICE');
  assert.throws(() => street.truth.fillAt('nope', 0), (e: { code?: string }) => e.code === 'E_STREET_UNKNOWN_DEVICE');
});

test('snapshot lists every device with its true state', () => {
  const { street } = run(10, 12);
  const snap = street.snapshot();
  assert.is(snap.devices.length, 60);
  assert.ok(Math.abs(snap.localHour - 14) < 1e-9);
  assert.ok(snap.sunElevationDeg > 40);
  for (const d of snap.devices) {
    if (d.kind === 'bin') {
      assert.ok(d.fillPct >= 0 && d.fillPct <= 100);
      assert.is(d.fillPct, street.truth.fillAt(d.id, snap.time));
    }
    if (d.kind === 'parking') assert.is(d.occupied, street.truth.occupiedAt(d.id, snap.time));
    if (d.kind === 'parking') assert.is(d.fieldUt === undefined, Number(d.id.slice(5)) % 3 === 0, d.id);
  }
});

test.run();
