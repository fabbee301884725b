import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ParkingConfig } from '../../firmware/devices/config.js';
import { MIN, Rig, S } from './rig.js';

/** The parking-magnetometer profile. */
function magnetometer(): ParkingConfig {
  return {
    sensor: 'magnetometer', sampleS: 5, calibration: { gain: 200, offset: -100 },
    detectDelta: 15, releaseDelta: 8, confirmS: 20, baselineAlpha: 0.02, heartbeatS: 900, rangeCm: 200,
  };
}

/** µT -> the raw 0..1 reading the converter gives. */
const raw = (uT: number) => (uT + 100) / 200;
const EARTH = 48;

function space() {
  const rig = new Rig({ kind: 'parking', config: magnetometer(), pins: { field: 'A1' } });
  rig.hal.setAnalog('A1', raw(EARTH));
  rig.device.start();
  rig.clock.advance(10 * MIN);
  return rig;
}

test('a parking car is reported occupied only after confirmS, and free after it leaves', () => {
  const rig = space();
  rig.clear();
  const arrived = rig.clock.now() + 1 * S;
  rig.clock.advanceTo(arrived);
  rig.hal.setAnalog('A1', raw(EARTH + 30));
  rig.clock.advanceTo(arrived + 20 * S - 1);
  assert.equal(rig.events(), [], 'not yet confirmed');
  assert.is(rig.state('confirming'), true);
  rig.clock.advanceTo(arrived + 25 * S);
  const occ = rig.events('occupied');
  assert.is(occ.length, 1);
  assert.is(occ[0]!.value, 1);
  assert.is(occ[0]!.severity, 'info');
  assert.ok(occ[0]!.time >= arrived + 20 * S);
  assert.equal(rig.values('occupied'), [1]);
  assert.is(rig.state('occupied'), true);

  rig.clock.advance(2 * 60 * MIN);
  const left = rig.clock.now();
  rig.hal.setAnalog('A1', raw(EARTH + 1));
  rig.clock.advanceTo(left + 19 * S);
  assert.is(rig.events('free').length, 0);
  rig.clock.advanceTo(left + 25 * S);
  const free = rig.events('free');
  assert.is(free.length, 1);
  assert.is(free[0]!.value, 0);
  assert.is(rig.state('occupied'), false);
});

test('disturbances shorter than confirmS produce nothing', () => {
  const rig = space();
  rig.clear();
  for (let i = 0; i < 5; i++) {
    rig.hal.setAnalog('A1', raw(EARTH + 40)); // a car driving over, a bus passing
    rig.clock.advance(12 * S);
    rig.hal.setAnalog('A1', raw(EARTH));
    rig.clock.advance(3 * MIN);
  }
  assert.equal(rig.events(), []);
  assert.equal(rig.values('occupied').filter((v) => v === 1), []);
  assert.ok(rig.values('field').some((v) => v > EARTH + 39), 'the disturbances were sampled');
});

test('the baseline follows slow drift while free, so drift causes no detection and cars are still seen', () => {
  const rig = space();
  rig.clear();
  const t0 = rig.clock.now();
  const fourHours = 4 * 60 * MIN;
  // +25 µT over four hours (temperature, a nearby construction site)
  const drift = (now: number) => EARTH + 25 * Math.min(1, (now - t0) / fourHours);
  rig.hal.setAnalog('A1', (now) => raw(drift(now)));
  rig.clock.advance(fourHours + 10 * MIN);
  assert.equal(rig.events(), []);
  const baseline = rig.state('baseline') as number;
  assert.ok(Math.abs(baseline - (EARTH + 25)) < 1, `baseline ${baseline}`);
  rig.hal.setAnalog('A1', raw(EARTH + 25 - 20)); // a car can lower the field too
  rig.clock.advance(30 * S);
  assert.is(rig.events('occupied').length, 1);
});

test('the baseline is frozen while occupied', () => {
  const rig = space();
  rig.hal.setAnalog('A1', raw(EARTH + 20));
  rig.clock.advance(10 * 60 * MIN);
  assert.is(rig.state('occupied'), true);
  assert.ok(Math.abs((rig.state('baseline') as number) - EARTH) < 0.01);
});

test('the occupied reading is repeated every heartbeatS', () => {
  const rig = space();
  rig.hal.setAnalog('A1', raw(EARTH + 30));
  rig.clock.advance(30 * S);
  rig.clear();
  rig.clock.advance(3 * 900 * S);
  const beats = rig.readings('occupied');
  assert.equal(beats.map((r) => r.value), [1, 1, 1]);
  assert.is(beats[1]!.time - beats[0]!.time, 900 * S);
});

test('recalibrate is refused while occupied and resets the baseline while free', () => {
  const rig = space();
  rig.hal.setAnalog('A1', raw(EARTH + 30));
  rig.clock.advance(30 * S);
  const refused = rig.device.command({ name: 'recalibrate', args: {} });
  assert.equal([refused.ok, refused.code], [false, 'E_CMD_STATE']);
  rig.hal.setAnalog('A1', raw(EARTH));
  rig.clock.advance(30 * S);
  rig.hal.setAnalog('A1', raw(EARTH + 10)); // between the thresholds: a shifted sensor
  rig.clock.advance(5 * S);
  const ok = rig.device.command({ name: 'recalibrate', args: {} });
  assert.is(ok.ok, true);
  assert.ok(Math.abs((rig.state('baseline') as number) - (EARTH + 10)) < 1e-9);
  assert.is(rig.device.command({ name: 'park', args: {} }).code, 'E_CMD_UNKNOWN');
});

test('an ultrasonic sensor under open sky sees no echo while free and a car above it', () => {
  const cfg: ParkingConfig = {
    sensor: 'distance', sampleS: 10, calibration: { gain: 1, offset: 0 },
    detectDelta: 30, releaseDelta: 15, confirmS: 20, baselineAlpha: 0.05, heartbeatS: 900, rangeCm: 200,
  };
  const rig = new Rig({ kind: 'parking', config: cfg, pins: { trigger: 'D5', echo: 'D6' } });
  const c20 = (331.3 + 0.606 * 20) / 1e4;
  let carCm = -1;
  rig.hal.setEcho('D6', () => (carCm < 0 ? -1 : (2 * carCm) / c20));
  rig.device.start();
  rig.clock.advance(10 * MIN);
  assert.equal(rig.events(), []);
  assert.equal(rig.values('distance'), []);
  carCm = 28;
  rig.clock.advance(35 * S);
  assert.is(rig.events('occupied').length, 1);
  const d = rig.values('distance');
  assert.ok(d.length >= 3 && Math.abs(d[0]! - 28) < 0.01, `distance readings ${d}`);
  carCm = -1;
  rig.clock.advance(35 * S);
  assert.is(rig.events('free').length, 1);
  rig.device.stop();
  assert.not.ok(rig.hal.isOpen('D5') || rig.hal.isOpen('D6'));
  assert.is(rig.clock.pending(), 0);
});

test('an ultrasonic sensor under a garage ceiling detects a car closer than the ceiling', () => {
  const cfg: ParkingConfig = {
    sensor: 'distance', sampleS: 10, calibration: { gain: 1, offset: 0 },
    detectDelta: 30, releaseDelta: 15, confirmS: 20, baselineAlpha: 0.05, heartbeatS: 900, rangeCm: 200,
  };
  const rig = new Rig({ kind: 'parking', config: cfg, pins: { trigger: 'D5', echo: 'D6' } });
  const c20 = (331.3 + 0.606 * 20) / 1e4;
  let cm = 260;
  rig.hal.setEcho('D6', () => (2 * cm) / c20);
  rig.device.start();
  rig.clock.advance(10 * MIN);
  cm = 270; // farther away is not a car
  rig.clock.advance(2 * MIN);
  assert.equal(rig.events(), []);
  cm = 35;
  rig.clock.advance(35 * S);
  assert.is(rig.events('occupied').length, 1);
});

test.run();
