import * as assert from 'uvu/assert';
import { lampConfig, LAMP_PINS, MIDDAY, NIGHT_2310 } from './lamp-config.js';
import { MIN, Rig, S, twoTargets } from './rig.js';

const test = twoTargets('lamp faults');

function lamp(startWall: number, silentS?: number) {
  const cfg = lampConfig();
  if (silentS !== undefined) cfg.pirSilentS = silentS;
  const rig = new Rig({ kind: 'lamp', config: cfg, pins: LAMP_PINS, startWall });
  rig.device.start();
  rig.clock.advance(S);
  return rig;
}

test('a PIR stuck high for 10 min puts the lamp on fail-safe level with exactly one fault event', () => {
  const rig = lamp(NIGHT_2310);
  const t0 = rig.clock.now();
  rig.hal.setLevel('D2', 1);
  rig.clock.advanceTo(t0 + 10 * MIN - 1);
  assert.is(rig.hal.duty('D3'), 1, 'until then it is just someone lingering');
  assert.equal(rig.events(), []);
  rig.clock.advanceTo(t0 + 10 * MIN);
  assert.is(rig.hal.duty('D3'), 0.6);
  assert.is(rig.state('mode'), 'failsafe');
  assert.is(rig.state('faults'), 'pir-stuck-high');
  rig.clock.advance(60 * MIN);
  const faults = rig.events('pir-stuck-high');
  assert.is(faults.length, 1);
  assert.is(faults[0]!.severity, 'fault');
  assert.is(faults[0]!.time, t0 + 10 * MIN);
  assert.is(rig.events().length, 1, 'no silent fault on top of the stuck one');
  assert.is(rig.hal.duty('D3'), 0.6);
});

test('a stuck PIR recovers on release: one info event and back to base level', () => {
  const rig = lamp(NIGHT_2310);
  rig.hal.setLevel('D2', 1);
  rig.clock.advance(15 * MIN);
  rig.hal.setLevel('D2', 0);
  rig.clock.advance(50);
  const rec = rig.events('pir-recovered');
  assert.is(rec.length, 1);
  assert.is(rec[0]!.severity, 'info');
  assert.is(rig.state('faults'), 'none');
  assert.is(rig.hal.duty('D3'), 0.2);
  rig.hal.setLevel('D2', 1);
  rig.clock.advance(50);
  assert.is(rig.hal.duty('D3'), 1, 'motion works again');
});

test('a silent PIR raises one fault and fail-safe level; the next edge recovers and lights the lamp', () => {
  const rig = lamp(NIGHT_2310, 3600);
  rig.clock.advance(59 * MIN - S);
  assert.is(rig.hal.duty('D3'), 0.2);
  rig.clock.advance(2 * MIN);
  assert.is(rig.hal.duty('D3'), 0.6);
  rig.clock.advance(3 * 60 * MIN);
  assert.is(rig.events('pir-silent').length, 1);
  assert.is(rig.events('pir-silent')[0]!.severity, 'fault');
  rig.hal.setLevel('D2', 1);
  rig.clock.advance(50);
  assert.is(rig.events('pir-recovered').length, 1);
  assert.is(rig.hal.duty('D3'), 1);
  assert.is(rig.state('mode'), 'full');
});

test('any edge restarts the silent timer', () => {
  const rig = lamp(NIGHT_2310, 3600);
  rig.clock.advance(50 * MIN);
  rig.hal.setLevel('D2', 1);
  rig.clock.advance(S);
  rig.hal.setLevel('D2', 0);
  rig.clock.advance(50 * MIN);
  assert.equal(rig.events('pir-silent'), []);
});

test('a PIR fault by day leaves the lamp dark', () => {
  const rig = lamp(MIDDAY);
  rig.hal.setLevel('D2', 1);
  rig.clock.advance(11 * MIN);
  assert.is(rig.events('pir-stuck-high').length, 1);
  assert.is(rig.hal.duty('D3'), 0);
  assert.is(rig.state('mode'), 'day');
});

test.run();
