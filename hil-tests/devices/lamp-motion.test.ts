import * as assert from 'uvu/assert';
import { LAMP_MODES } from '../../firmware/devices/lamp.js';
import { lampConfig, LAMP_PINS, MIDDAY, NIGHT_2310 } from './lamp-config.js';
import { Rig, S, twoTargets } from './rig.js';

const test = twoTargets('lamp motion');

function nightLamp() {
  const rig = new Rig({ kind: 'lamp', config: lampConfig(), pins: LAMP_PINS, startWall: NIGHT_2310 });
  rig.device.start();
  rig.clock.advance(10 * S);
  return rig;
}

const mode = (name: string) => LAMP_MODES.indexOf(name as never);

test('at 23:10 the lamp comes up at base level', () => {
  const rig = nightLamp();
  assert.is(rig.hal.duty('D3'), 0.2);
  assert.is(rig.state('night'), true);
  assert.is(rig.state('mode'), 'base');
  assert.equal(rig.values('mode'), [mode('base')]);
});

test('a pedestrian at 23:10 lights the lamp fully the moment the debounced edge arrives', () => {
  const rig = nightLamp();
  const t0 = rig.clock.now();
  rig.hal.setLevel('D2', 1);
  rig.clock.advance(49);
  assert.is(rig.hal.duty('D3'), 0.2);
  rig.clock.advance(1);
  assert.is(rig.hal.duty('D3'), 1);
  const writes = rig.hal.pwmWrites('D3');
  assert.equal(writes[writes.length - 1], { time: t0 + 50, duty: 1 });
  assert.equal(rig.readings('motion').map((r) => [r.value, r.time]), [[1, t0]]);
});

test('lamp fades to base level 30 s after last motion: full level for holdS - fadeS, then the fade', () => {
  const rig = nightLamp();
  const t0 = rig.clock.now();
  rig.hal.setLevel('D2', 1);
  rig.clock.advance(2 * S);
  rig.hal.setLevel('D2', 0); // last activity at t0 + 2 s
  rig.clear();
  const last = t0 + 2 * S;
  rig.clock.advanceTo(last + 27 * S - 1);
  assert.is(rig.hal.duty('D3'), 1, 'still at full level until holdS - fadeS');
  assert.is(rig.state('mode'), 'full');
  rig.clock.advanceTo(last + 28500);
  const mid = rig.hal.duty('D3');
  assert.ok(Math.abs(mid - 0.6) < 1e-9, `half-way through the fade, got ${mid}`);
  assert.is(rig.state('mode'), 'fade');
  rig.clock.advanceTo(last + 30 * S - 1);
  assert.ok(rig.hal.duty('D3') > 0.2, 'not yet at base level');
  rig.clock.advanceTo(last + 30 * S);
  assert.is(rig.hal.duty('D3'), 0.2, 'at base level exactly holdS after the last motion');
  assert.is(rig.state('mode'), 'base');
  const writes = rig.hal.pwmWrites('D3');
  assert.equal(writes[writes.length - 1], { time: last + 30 * S, duty: 0.2 });
  // level readings mark the start and end of the fade only, not each step
  assert.equal(rig.values('level'), [1, 0.2]);
  assert.equal(rig.readings('level').map((r) => r.time), [last + 27 * S, last + 30 * S]);
  assert.equal(rig.values('mode'), [mode('fade'), mode('base')]);
  const steps = writes.filter((w) => w.time > last + 27 * S && w.time <= last + 30 * S);
  assert.ok(steps.length >= 25, `the fade is smooth (${steps.length} steps)`);
});

test('a fade as long as the hold starts at the last motion and still ends holdS after it', () => {
  const cfg = lampConfig();
  cfg.holdS = 4;
  cfg.fadeS = 4;
  const rig = new Rig({ kind: 'lamp', config: cfg, pins: LAMP_PINS, startWall: NIGHT_2310 });
  rig.device.start();
  rig.clock.advance(10 * S);
  rig.hal.setLevel('D2', 1);
  rig.clock.advance(S);
  const last = rig.clock.now();
  rig.hal.setLevel('D2', 0);
  rig.clock.advanceTo(last + 100);
  assert.is(rig.state('mode'), 'fade', 'the fade begins once the debounced release arrives');
  rig.clock.advanceTo(last + 2 * S);
  // Steps are 100 ms apart, and 0.8 of level over 4 s is 0.02 per step.
  assert.ok(Math.abs(rig.hal.duty('D3') - 0.6) <= 0.02, `half-way, got ${rig.hal.duty('D3')}`);
  rig.clock.advanceTo(last + 4 * S);
  assert.is(rig.hal.duty('D3'), 0.2);
  assert.is(rig.state('mode'), 'base');
});

test('without a fade the lamp switches to base level holdS after the last motion', () => {
  const cfg = lampConfig();
  cfg.fadeS = 0;
  const rig = new Rig({ kind: 'lamp', config: cfg, pins: LAMP_PINS, startWall: NIGHT_2310 });
  rig.device.start();
  rig.clock.advance(10 * S);
  rig.hal.setLevel('D2', 1);
  rig.clock.advance(S);
  const last = rig.clock.now();
  rig.hal.setLevel('D2', 0);
  rig.clear();
  rig.clock.advanceTo(last + 30 * S - 1);
  assert.is(rig.hal.duty('D3'), 1);
  rig.clock.advanceTo(last + 30 * S);
  assert.is(rig.hal.duty('D3'), 0.2);
  assert.equal(rig.values('mode'), [mode('base')], 'no fade mode on the way');
});

test('motion during the hold restarts it', () => {
  const rig = nightLamp();
  rig.hal.setLevel('D2', 1);
  rig.clock.advance(1 * S);
  rig.hal.setLevel('D2', 0);
  rig.clock.advance(20 * S);
  const t1 = rig.clock.now();
  rig.hal.setLevel('D2', 1);
  rig.clock.advance(1 * S);
  rig.hal.setLevel('D2', 0); // last activity at t1 + 1 s
  rig.clock.advanceTo(t1 + 1 * S + 27 * S - 1);
  assert.is(rig.hal.duty('D3'), 1, 'the first fade would have begun 20 s ago');
  rig.clock.advanceTo(t1 + 1 * S + 30 * S);
  assert.is(rig.hal.duty('D3'), 0.2);
  assert.equal(rig.values('motion'), [1, 1]);
});

test('motion during the fade brings full level back at once', () => {
  const rig = nightLamp();
  rig.hal.setLevel('D2', 1);
  rig.clock.advance(1 * S);
  rig.hal.setLevel('D2', 0);
  rig.clock.advance(28 * S);
  assert.is(rig.state('mode'), 'fade');
  rig.hal.setLevel('D2', 1);
  rig.clock.advance(50);
  assert.is(rig.hal.duty('D3'), 1);
  assert.is(rig.state('mode'), 'full');
});

test('while the PIR stays high the hold does not run out', () => {
  const rig = nightLamp();
  rig.hal.setLevel('D2', 1);
  rig.clock.advance(5 * 60 * S);
  assert.is(rig.hal.duty('D3'), 1);
  assert.is(rig.state('mode'), 'full');
});

test('by day the lamp is off and motion is counted but does not light it', () => {
  const rig = new Rig({ kind: 'lamp', config: lampConfig(), pins: LAMP_PINS, startWall: MIDDAY });
  rig.device.start();
  rig.clock.advance(S);
  assert.is(rig.hal.duty('D3'), 0);
  assert.is(rig.state('mode'), 'day');
  rig.hal.setLevel('D2', 1);
  rig.clock.advance(2 * S);
  rig.hal.setLevel('D2', 0);
  rig.clock.advance(2 * S);
  assert.is(rig.hal.duty('D3'), 0);
  assert.equal(rig.hal.pwmWrites('D3').map((w) => w.duty), [0]);
  assert.equal(rig.values('motion'), [1]);
  assert.is(rig.state('motionCount'), 1);
});

test('stop closes every pin and clears every timer', () => {
  const rig = nightLamp();
  rig.hal.setLevel('D2', 1);
  rig.clock.advance(S);
  rig.device.stop();
  assert.not.ok(rig.hal.isOpen('D2'));
  assert.not.ok(rig.hal.isOpen('D3'));
  assert.is(rig.clock.pending(), 0);
});

test.run();
