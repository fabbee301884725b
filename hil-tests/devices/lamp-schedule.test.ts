import * as assert from 'uvu/assert';
import { lampConfig, LAMP_PINS, MIDDAY, NIGHT_2310 } from './lamp-config.js';
import { MIN, Rig, S, twoTargets } from './rig.js';

const test = twoTargets('lamp schedule');

test('the lamp goes dark 10 min after sunrise (03:18 UTC in Amsterdam) and not before', () => {
  const rig = new Rig({ kind: 'lamp', config: lampConfig(), pins: LAMP_PINS, startWall: Date.UTC(2026, 5, 21, 3, 0) });
  rig.device.start();
  assert.is(rig.hal.duty('D3'), 0.2);
  rig.clock.advance(24 * MIN); // 03:24
  assert.is(rig.hal.duty('D3'), 0.2);
  rig.clock.advance(8 * MIN); // 03:32, past 03:28 and a schedule check
  assert.is(rig.hal.duty('D3'), 0);
  assert.is(rig.state('mode'), 'day');
});

test('the lamp comes on 10 min before sunset (20:06 UTC in Amsterdam)', () => {
  const rig = new Rig({ kind: 'lamp', config: lampConfig(), pins: LAMP_PINS, startWall: Date.UTC(2026, 5, 21, 19, 40) });
  rig.device.start();
  assert.is(rig.hal.duty('D3'), 0);
  rig.clock.advance(12 * MIN); // 19:52
  assert.is(rig.hal.duty('D3'), 0);
  rig.clock.advance(8 * MIN); // 20:00
  assert.is(rig.hal.duty('D3'), 0.2);
});

test('nightfall ends a hold begun by day: the lamp rests at base level', () => {
  const rig = new Rig({ kind: 'lamp', config: lampConfig(), pins: LAMP_PINS, startWall: Date.UTC(2026, 5, 21, 19, 55) });
  rig.device.start();
  rig.hal.setLevel('D2', 1);
  rig.clock.advance(2 * MIN);
  assert.is(rig.hal.duty('D3'), 0.2, 'motion by day does not carry into the night');
});

test('without a trusted wall clock and no light sensor the lamp assumes night, and says so', () => {
  const rig = new Rig({ kind: 'lamp', config: lampConfig(), pins: LAMP_PINS, startWall: MIDDAY, synced: false });
  rig.device.start();
  assert.is(rig.hal.duty('D3'), 0.2);
  assert.is(rig.state('scheduleBasis'), 'assumed-night');
  assert.is(rig.state('wallSynced'), false);
  assert.match(String(rig.state('scheduleNote')), /assuming night/);
  rig.clock.setWall(MIDDAY + MIN, true); // NTP syncs: it is noon
  rig.clock.advance(MIN);
  assert.is(rig.hal.duty('D3'), 0);
  assert.is(rig.state('scheduleBasis'), 'sun');
});

test('an unsynced sun schedule falls back to the light sensor when there is one', () => {
  const rig = new Rig({
    kind: 'lamp', config: lampConfig(), pins: { ...LAMP_PINS, light: 'A0' }, startWall: NIGHT_2310, synced: false,
  });
  rig.hal.setAnalog('A0', 0.9);
  rig.device.start();
  assert.is(rig.state('scheduleBasis'), 'light');
  assert.is(rig.hal.duty('D3'), 0);
});

test('the light schedule switches only after the level stays past a threshold for lightDelayS', () => {
  const cfg = lampConfig();
  cfg.schedule.source = 'light';
  cfg.schedule.checkS = 30;
  const rig = new Rig({ kind: 'lamp', config: cfg, pins: { ...LAMP_PINS, light: 'A0' }, startWall: MIDDAY });
  rig.hal.setAnalog('A0', 0.8);
  rig.device.start();
  assert.is(rig.hal.duty('D3'), 0);
  rig.hal.setAnalog('A0', 0.05); // a cloud? a truck's shadow?
  rig.clock.advance(90 * S);
  rig.hal.setAnalog('A0', 0.8);
  rig.clock.advance(5 * MIN);
  assert.is(rig.hal.duty('D3'), 0, 'a 90 s shadow is not dusk');
  rig.hal.setAnalog('A0', 0.2); // between thresholds: no verdict either way
  rig.clock.advance(10 * MIN);
  assert.is(rig.hal.duty('D3'), 0);
  rig.hal.setAnalog('A0', 0.1);
  const dark = rig.clock.now(); // a check ran just now, on the old reading
  // The average of the last 3 checks first drops below 0.15 at the second check after dusk
  // (0.2, 0.1, 0.1: 0.133), 60 s in; from there it must stay below for lightDelayS.
  rig.clock.advance(119 * S);
  assert.is(rig.hal.duty('D3'), 0);
  rig.clock.advanceTo(dark + 60 * S + 120 * S - 1);
  assert.is(rig.hal.duty('D3'), 0);
  rig.clock.advanceTo(dark + 60 * S + 120 * S);
  assert.is(rig.hal.duty('D3'), 0.2);
  rig.hal.setAnalog('A0', 0.2); // hysteresis: not yet bright enough for day
  rig.clock.advance(10 * MIN);
  assert.is(rig.hal.duty('D3'), 0.2);
  rig.hal.setAnalog('A0', 0.5);
  rig.clock.advance(3 * MIN);
  assert.is(rig.hal.duty('D3'), 0);
});

test('one bright light check at dusk (headlights) is averaged away and does not restart the wait', () => {
  const cfg = lampConfig();
  cfg.schedule.source = 'light';
  cfg.schedule.checkS = 30;
  const rig = new Rig({ kind: 'lamp', config: cfg, pins: { ...LAMP_PINS, light: 'A0' }, startWall: MIDDAY });
  rig.hal.setAnalog('A0', 0.05);
  rig.device.start(); // starts from the sensor's verdict: night
  rig.hal.setAnalog('A0', 0.8);
  rig.clock.advance(5 * MIN);
  assert.is(rig.hal.duty('D3'), 0, 'day');
  rig.hal.setAnalog('A0', 0.05);
  const dusk = rig.clock.now();
  rig.clock.advance(90 * S); // the average is below 0.15 from the third check, dusk + 90 s
  // Headlights at the next check: 0.6 alone is day, but (0.05 + 0.05 + 0.6) / 3 = 0.23 is not.
  rig.hal.setAnalog('A0', 0.6);
  rig.clock.advance(30 * S);
  rig.hal.setAnalog('A0', 0.05);
  rig.clock.advanceTo(dusk + 90 * S + 120 * S - 1);
  assert.is(rig.hal.duty('D3'), 0);
  rig.clock.advanceTo(dusk + 90 * S + 120 * S);
  assert.is(rig.hal.duty('D3'), 0.2, 'lightDelayS after the average fell below, headlights or not');
});

test('a light schedule without a light sensor assumes night', () => {
  const cfg = lampConfig();
  cfg.schedule.source = 'light';
  const rig = new Rig({ kind: 'lamp', config: cfg, pins: LAMP_PINS, startWall: MIDDAY });
  rig.device.start();
  assert.is(rig.hal.duty('D3'), 0.2);
  assert.is(rig.state('scheduleBasis'), 'assumed-night');
});

test('under the midnight sun the lamp stays dark all night', () => {
  const rig = new Rig({
    kind: 'lamp', config: lampConfig(), pins: LAMP_PINS, startWall: Date.UTC(2026, 5, 21, 22, 0),
    location: { latitude: 69.65, longitude: 18.96 },
  });
  rig.device.start();
  rig.clock.advance(60 * MIN);
  assert.is(rig.hal.duty('D3'), 0);
  assert.is(rig.state('night'), false);
});

test.run();
