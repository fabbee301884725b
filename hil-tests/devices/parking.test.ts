import * as assert from 'uvu/assert';
import type { ParkingConfig } from '../../firmware/devices/config.js';
import { MIN, Rig, S, twoTargets } from './rig.js';

const test = twoTargets('parking');

/** The parking-magnetometer profile. */
function magnetometer(): ParkingConfig {
  return {
    sensor: 'magnetometer', sampleS: 5, calibration: { gain: 200, offset: -100 },
    detectDelta: 15, releaseDelta: 8, confirmS: 20, baselineAlpha: 0.02, heartbeatS: 900, rangeCm: 200,
    relearnS: 86400,
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

test('field readings go out on a change of at least releaseDelta / 2, not every sample', () => {
  const rig = space();
  const t0 = rig.clock.now();
  rig.clear();
  rig.clock.advance(10 * MIN); // 120 samples of a steady free space
  assert.equal(rig.values('field'), []);
  rig.hal.setAnalog('A1', raw(EARTH + 3.9)); // noise: under the 4 µT step
  rig.clock.advance(MIN);
  assert.equal(rig.values('field'), []);
  rig.hal.setAnalog('A1', raw(EARTH + 30)); // a car
  rig.clock.advance(MIN);
  const field = rig.readings('field');
  assert.is(field.length, 1);
  assert.ok(Math.abs(field[0]!.value - (EARTH + 30)) < 1e-9);
  assert.ok(field[0]!.time > t0 + 11 * MIN, 'the reading carries the time of its sample');
  assert.is(rig.events('occupied').length, 1, 'the verdict still sees every sample');
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

const HOUR = 60 * MIN;

test('a car present at start-up: its departure reads as an arrival until relearnS, then free and right again', () => {
  const rig = new Rig({ kind: 'parking', config: magnetometer(), pins: { field: 'A1' } });
  rig.hal.setAnalog('A1', raw(EARTH + 30)); // a car is parked when the node starts
  rig.device.start();
  rig.clock.advance(2 * HOUR);
  assert.equal(rig.events(), []);
  assert.is(rig.state('occupied'), false, 'the car was learnt as the free baseline');

  rig.hal.setAnalog('A1', raw(EARTH)); // it leaves
  const left = rig.clock.now();
  rig.clock.advance(30 * S);
  assert.is(rig.events('occupied').length, 1, 'the departure is taken for an arrival (wrong)');
  assert.is(rig.state('occupied'), true);

  rig.clock.advanceTo(left + 24 * HOUR - MIN);
  assert.equal(rig.events('free'), [], 'nothing changes before relearnS');
  rig.clock.advanceTo(left + 24 * HOUR + MIN);
  const relearned = rig.events('baseline-relearned');
  assert.is(relearned.length, 1);
  assert.is(relearned[0]!.severity, 'info');
  assert.ok(Math.abs(relearned[0]!.value - EARTH) < 1e-9, 'the new baseline is the steady reading');
  const free = rig.events('free');
  assert.is(free.length, 1);
  assert.is(free[0]!.severity, 'info');
  assert.match(free[0]!.detail, /baseline relearnt after 24 h without change/);
  // The steady stretch starts with the first sample once occupied (samples are 5 s apart).
  const occupiedAt = rig.events('occupied')[0]!.time;
  const after = free[0]!.time - occupiedAt - 24 * HOUR;
  assert.ok(after >= 0 && after <= 5 * S, `free ${after} ms after occupied + relearnS`);
  assert.is(relearned[0]!.time, free[0]!.time);
  assert.is(rig.state('occupied'), false);
  assert.ok(Math.abs((rig.state('baseline') as number) - EARTH) < 1e-9);
  assert.equal(rig.values('occupied').slice(-1), [0]);

  rig.clock.advance(HOUR);
  rig.hal.setAnalog('A1', raw(EARTH + 30)); // a real arrival
  const arrived = rig.clock.now();
  rig.clock.advance(30 * S);
  const occ = rig.events('occupied');
  assert.is(occ.length, 2);
  assert.ok(occ[1]!.time >= arrived + 20 * S);
  rig.hal.setAnalog('A1', raw(EARTH)); // and its departure
  rig.clock.advance(30 * S);
  assert.is(rig.events('free').length, 2);
  assert.is(rig.state('occupied'), false);
  assert.is(rig.events('baseline-relearned').length, 1);
});

test('a parked car whose reading changes is not relearnt: only relearnS without change counts', () => {
  const rig = space();
  rig.hal.setAnalog('A1', raw(EARTH + 30));
  rig.clock.advance(MIN);
  assert.is(rig.state('occupied'), true);
  rig.clock.advance(20 * HOUR);
  rig.hal.setAnalog('A1', raw(EARTH + 38)); // within releaseDelta (8 µT) of the stretch's start
  rig.clock.advance(2 * HOUR);
  rig.hal.setAnalog('A1', raw(EARTH + 20)); // more than that: the steady stretch starts again
  const moved = rig.clock.now();
  rig.clock.advance(4 * HOUR);
  assert.equal(rig.events('free'), [], '26 h occupied, but never 24 h without change');
  rig.clock.advanceTo(moved + 24 * HOUR + MIN);
  assert.is(rig.events('baseline-relearned').length, 1);
  assert.is(rig.events('free').length, 1);
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
    relearnS: 86400,
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
  assert.is(d.length, 1, `the car's distance goes out once, not every sample: ${d}`);
  assert.ok(Math.abs(d[0]! - 28) < 0.01, `distance readings ${d}`);
  carCm = -1;
  rig.clock.advance(35 * S);
  assert.is(rig.events('free').length, 1);
  carCm = 28; // the next car at the same height: the first echo after open sky goes out again
  rig.clock.advance(11 * S);
  assert.is(rig.values('distance').length, 2);
  rig.device.stop();
  assert.not.ok(rig.hal.isOpen('D5') || rig.hal.isOpen('D6'));
  assert.is(rig.clock.pending(), 0);
});

test('an ultrasonic sensor under a garage ceiling detects a car closer than the ceiling', () => {
  const cfg: ParkingConfig = {
    sensor: 'distance', sampleS: 10, calibration: { gain: 1, offset: 0 },
    detectDelta: 30, releaseDelta: 15, confirmS: 20, baselineAlpha: 0.05, heartbeatS: 900, rangeCm: 200,
    relearnS: 86400,
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
