import * as assert from 'uvu/assert';
import { lampConfig, LAMP_PINS, MIDDAY, NIGHT_2310 } from './lamp-config.js';
import { Rig, S, twoTargets } from './rig.js';

const test = twoTargets('lamp commands');

function lamp(startWall: number) {
  const rig = new Rig({ kind: 'lamp', config: lampConfig(), pins: LAMP_PINS, startWall });
  rig.device.start();
  rig.clock.advance(S);
  return rig;
}

test('override holds its level for its duration, then the lamp goes back to normal', () => {
  const rig = lamp(NIGHT_2310);
  const r = rig.device.command({ name: 'override', args: { level: 0.5, durationS: 60 } });
  assert.is(r.ok, true);
  assert.is(rig.hal.duty('D3'), 0.5);
  rig.hal.setLevel('D2', 1);
  rig.clock.advance(S);
  assert.is(rig.hal.duty('D3'), 0.5, 'motion does not beat an override');
  rig.hal.setLevel('D2', 0);
  rig.clock.advance(59 * S);
  assert.is(rig.hal.duty('D3'), 0.2);
  assert.is(rig.state('mode'), 'base');
});

test('override works by day and clear-override ends it early', () => {
  const rig = lamp(MIDDAY);
  rig.device.command({ name: 'override', args: { level: 0.8, durationS: 3600 } });
  assert.is(rig.hal.duty('D3'), 0.8);
  assert.is(rig.state('mode'), 'override');
  const r = rig.device.command({ name: 'clear-override', args: {} });
  assert.is(r.ok, true);
  assert.is(rig.hal.duty('D3'), 0);
});

test('emergency gives full level by day until its duration ends', () => {
  const rig = lamp(MIDDAY);
  rig.device.command({ name: 'emergency', args: { on: true, durationS: 120 } });
  assert.is(rig.hal.duty('D3'), 1);
  assert.is(rig.state('mode'), 'emergency');
  rig.clock.advance(119 * S);
  assert.is(rig.hal.duty('D3'), 1);
  rig.clock.advance(S);
  assert.is(rig.hal.duty('D3'), 0);
});

test('emergency beats an override and a PIR fault; switched off, the lamp resumes what it was doing', () => {
  const rig = lamp(NIGHT_2310);
  rig.device.command({ name: 'override', args: { level: 0.4, durationS: 600 } });
  rig.device.command({ name: 'emergency', args: { on: true } });
  assert.is(rig.hal.duty('D3'), 1);
  rig.clock.advance(60 * S);
  assert.is(rig.hal.duty('D3'), 1, 'no duration: it stays on');
  rig.device.command({ name: 'emergency', args: { on: false } });
  assert.is(rig.hal.duty('D3'), 0.4, 'the override still has time left');
  rig.clock.advance(600 * S);
  assert.is(rig.hal.duty('D3'), 0.2);
});

test('invalid commands are refused with a code and a message naming the arg and the range', () => {
  const rig = lamp(NIGHT_2310);
  const unknown = rig.device.command({ name: 'dance', args: {} });
  assert.is(unknown.code, 'E_CMD_UNKNOWN');
  assert.match(unknown.message, /override/);
  const high = rig.device.command({ name: 'override', args: { level: 1.5, durationS: 10 } });
  assert.equal([high.ok, high.code], [false, 'E_CMD_RANGE']);
  assert.match(high.message, /'level'.*0\.\.1.*1\.5/);
  const missing = rig.device.command({ name: 'override', args: { level: 0.5 } });
  assert.is(missing.code, 'E_CMD_ARGS');
  assert.match(missing.message, /'durationS'/);
  const zero = rig.device.command({ name: 'override', args: { level: 0.5, durationS: 0 } });
  assert.is(zero.code, 'E_CMD_RANGE');
  assert.match(zero.message, /'durationS' must be within 1\.\.604800, got 0/);
  const week = rig.device.command({ name: 'override', args: { level: 0.5, durationS: 604801 } });
  assert.equal([week.ok, week.code], [false, 'E_CMD_RANGE']);
  const notBool = rig.device.command({ name: 'emergency', args: { on: 'yes' } });
  assert.is(notBool.code, 'E_CMD_ARGS');
  assert.match(notBool.message, /'on'/);
  const negative = rig.device.command({ name: 'emergency', args: { on: true, durationS: -5 } });
  assert.is(negative.code, 'E_CMD_RANGE');
  const longEmergency = rig.device.command({ name: 'emergency', args: { on: true, durationS: 604801 } });
  assert.is(longEmergency.code, 'E_CMD_RANGE');
  assert.match(longEmergency.message, /within 1\.\.604800/);
  assert.is(rig.hal.duty('D3'), 0.2, 'nothing changed');
});

test.run();
