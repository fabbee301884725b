/**
 * What valid signed commands do to the street, on mock lamps and the virtual clock: a timed
 * override, a schedule change, and the emergency corridor (the lamps of the route at full for N
 * minutes, the others untouched, then each back to what it would be doing by then).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CommandProcessor } from '../../gateway/commands/command-processor.js';
import type { Command } from '../../firmware/devices/types.js';
import { CommandRig, MIN } from './command-rig.js';

const S = 1_000;

test('override: a lamp at the level for its duration, then back to its base level', () => {
  const rig = new CommandRig();
  assert.is(rig.send({ device: 'lamp-03', name: 'override', args: { level: 0.7, durationS: 120 } }).ok, true);
  assert.is(rig.duty('lamp-03'), 0.7);
  rig.clock.advance(119 * S);
  assert.is(rig.duty('lamp-03'), 0.7);
  rig.clock.advance(S);
  assert.is(rig.duty('lamp-03'), 0.2);
  rig.stop();
});

test('schedule: moving dusk later turns a lamp off now, and on again once the new dusk has passed', () => {
  const rig = new CommandRig({ startWall: Date.UTC(2026, 5, 21, 20, 0) }); // 22:00 in Amsterdam; sunset ~22:06, profile dusk -10 min
  assert.is(rig.duty('lamp-04'), 0.2, 'night by the profile');
  const reply = rig.send({ device: 'lamp-04', name: 'schedule', args: { duskOffsetMin: 45 } });
  assert.equal([reply.ok, reply.code], [true, 'OK'], reply.message);
  assert.match(reply.message, /on 45 min after sunset, off 10 min after sunrise/);
  assert.is(rig.duty('lamp-04'), 0, 'day until sunset + 45 min');
  assert.is(rig.duty('lamp-03'), 0.2, 'other lamps keep their schedule');
  assert.is(rig.gateway.devices().find((d) => d.id === 'lamp-04')!.state.duskOffsetMin, 45);
  rig.clock.advance(60 * MIN); // 23:00 local: past sunset + 45
  assert.is(rig.duty('lamp-04'), 0.2);
  assert.is(rig.send({ device: 'lamp-04', name: 'schedule', args: {} }).code, 'E_CMD_ARGS');
  assert.is(rig.send({ device: 'lamp-04', name: 'schedule', args: { dawnOffsetMin: -300 } }).code, 'E_CMD_RANGE');
  rig.stop();
});

test('corridor: its lamps at full for N minutes, the others unchanged; then each does what it would be doing by then', () => {
  const rig = new CommandRig();
  const reply = rig.send({ corridor: 'school-route', name: 'corridor', args: { minutes: 5 } });
  assert.equal([reply.ok, reply.code, reply.target], [true, 'OK', 'corridor:school-route'], reply.message);
  assert.equal(reply.lamps!.map((l) => [l.device, l.ok]), [['lamp-01', true], ['lamp-02', true]]);
  assert.match(reply.message, /2 lamps at full for 5 min/);
  assert.equal(['lamp-01', 'lamp-02', 'lamp-03', 'lamp-04'].map((l) => rig.duty(l)), [1, 1, 0.2, 0.2]);

  // During the corridor: someone walks under lamp-01 and stays; lamp-02 gets a 10-minute override.
  rig.clock.advance(4 * MIN);
  rig.motion('lamp-01', 1);
  assert.is(rig.send({ device: 'lamp-02', name: 'override', args: { level: 0.5, durationS: 600 } }).ok, true);
  rig.motion('lamp-03', 1);
  rig.clock.advance(S);
  assert.equal(['lamp-01', 'lamp-02', 'lamp-03'].map((l) => rig.duty(l)), [1, 1, 1], 'the corridor beats the override; lamp-03 reacts to motion as always');
  rig.motion('lamp-03', 0);

  rig.clock.advance(MIN - S); // the corridor's 5 minutes are over
  assert.is(rig.duty('lamp-01'), 1, 'lamp-01: its PIR still sees someone, so it stays at full (motion), not at base');
  assert.is(rig.gateway.devices().find((d) => d.id === 'lamp-01')!.state.mode, 'full');
  assert.is(rig.duty('lamp-02'), 0.5, 'lamp-02: the override given during the corridor has time left');
  rig.motion('lamp-01', 0);
  rig.clock.advance(31 * S);
  assert.is(rig.duty('lamp-01'), 0.2, 'lamp-01 fades to base after the hold');
  rig.clock.advance(8 * MIN); // 13:31 after the corridor began: the override (from 4:00, 10 min) has 29 s left
  assert.is(rig.duty('lamp-02'), 0.5);
  rig.clock.advance(30 * S);
  assert.is(rig.duty('lamp-02'), 0.2, 'lamp-02 back at base when the override ends');
  rig.stop();
});

test('corridor-end switches the route back at once; a corridor by day lights it and returns it to dark', () => {
  const rig = new CommandRig({ startWall: Date.UTC(2026, 5, 21, 10, 0) }); // noon in Amsterdam
  assert.is(rig.duty('lamp-01'), 0);
  assert.is(rig.send({ corridor: 'school-route', name: 'corridor', args: { minutes: 240 } }).ok, true);
  assert.equal([rig.duty('lamp-01'), rig.duty('lamp-02'), rig.duty('lamp-03')], [1, 1, 0]);
  rig.clock.advance(10 * MIN);
  const end = rig.send({ corridor: 'school-route', name: 'corridor-end', args: {} });
  assert.equal([end.ok, end.code], [true, 'OK'], end.message);
  assert.equal([rig.duty('lamp-01'), rig.duty('lamp-02')], [0, 0]);
  rig.stop();
});

test('a corridor whose lamp is down is answered E_CMD_PARTIAL listing each lamp; the others still light', () => {
  const rig = new CommandRig();
  // lamp-02 fails: its controller is stopped as if its board went away.
  const target = { command: (id: string, cmd: Command) => (id === 'lamp-02' ? { ok: false, code: 'E_CMD_STATE', message: 'board offline' } : rig.gateway.command(id, cmd)) };
  rig.processor = new CommandProcessor({
    site: () => rig.site, devices: () => target, clock: rig.clock, dir: rig.dataDir + '-partial', log: rig.log,
    reply: () => undefined,
  });
  const reply = rig.send({ corridor: 'school-route', name: 'corridor', args: { minutes: 3 } });
  assert.equal([reply.ok, reply.code], [false, 'E_CMD_PARTIAL']);
  assert.match(reply.message, /1 of 2 lamps at full for 3 min; refused: lamp-02 \(E_CMD_STATE board offline\)/);
  assert.is(rig.duty('lamp-01'), 1);
  rig.stop();
});

test.run();
