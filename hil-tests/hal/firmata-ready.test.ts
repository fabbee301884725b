/**
 * The Firmata backend before its board is ready: resources open at once and are applied when the
 * board comes up; a board that never comes up is reported with what to check, and retried.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isHalError } from '../../firmware/hal/errors.js';
import { FirmataHal } from '../../gateway/hal/firmata/firmata-hal.js';
import { VirtualClock } from '../harness/virtual-clock.js';
import { firmataRig, PORT } from './firmata-rig.js';

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

test('a board not ready within readyTimeoutMs is E_HAL_UNAVAILABLE naming the port and what to check', async () => {
  const rig = firmataRig({ firmware: 'silent' }, { readyTimeoutMs: 5000 });
  rig.hal.start();
  const ready = rig.hal.whenReady();
  rig.clock.advance(4999);
  assert.is(rig.hal.status().state, 'connecting');
  rig.clock.advance(1);
  const err = await rejection(ready);
  assert.ok(isHalError(err) && err.code === 'E_HAL_UNAVAILABLE', String(err));
  assert.match(err.message, `the Firmata board on ${PORT} was not ready within 5 s`);
  assert.match(err.message, 'StandardFirmata');
  assert.match(err.message, '57600 baud');
  assert.match(err.message, PORT);
  const status = rig.hal.status();
  assert.is(status.state, 'connecting');
  assert.is(status.error, err.message);
  const logged = rig.records.find((r) => r.event === 'firmata.unavailable');
  assert.is(logged?.['error'], err.message);
  assert.is(logged?.['retryInMs'], 1000);
  assert.is(logged?.['port'], PORT);
});

test('after a failed attempt the link retries with backoff and a reflashed board comes up', async () => {
  const rig = firmataRig({ firmware: 'silent' }, { readyTimeoutMs: 1000 });
  rig.hal.start();
  rig.clock.advance(1000); // attempt 1 given up, retry in 1 s
  rig.clock.advance(1000); // attempt 2 opens
  rig.clock.advance(1000); // given up, retry in 2 s
  assert.is(rig.board.opens, 2);
  rig.clock.advance(1999);
  assert.is(rig.board.opens, 2);
  rig.board.flash('StandardFirmata');
  const ready = rig.hal.whenReady();
  rig.clock.advance(1);
  assert.is(rig.board.opens, 3);
  await ready;
  assert.is(rig.hal.status().state, 'ready');
  assert.equal(rig.records.filter((r) => r.event === 'firmata.unavailable').map((r) => r['retryInMs']), [1000, 2000]);
});

test('a port that will not open says so, and the board is used once it is plugged in', async () => {
  const rig = firmataRig();
  rig.board.unplug();
  rig.hal.start();
  const ready = rig.hal.whenReady();
  rig.clock.runDue();
  const err = await rejection(ready);
  assert.match(err.message, `cannot open the Firmata board on ${PORT} (No such file or directory`);
  assert.match(err.message, 'is the board plugged in');
  rig.board.plug();
  rig.clock.advance(1000);
  assert.is(rig.hal.status().state, 'ready');
});

test('by default the board is opened with firmata.js over serialport, loaded on first use', async () => {
  const clock = new VirtualClock();
  const hal = new FirmataHal({ clock, port: '/dev/kerb-test-no-such-board' });
  hal.start();
  const err = await rejection(hal.whenReady());
  hal.close();
  assert.ok(isHalError(err) && err.code === 'E_HAL_UNAVAILABLE', String(err));
  assert.match(err.message, 'cannot open the Firmata board on /dev/kerb-test-no-such-board (');
});

test('outputs written before the board is ready are applied when it is; inputs report from then on', () => {
  const rig = firmataRig({ bootMs: 2000 });
  const edges: number[] = [];
  const led = rig.hal.digitalOut({ pin: '13', initial: 0 });
  const lamp = rig.hal.pwm({ pin: 'D3', frequency: 1000, initial: 0.2 });
  const pir = rig.hal.digitalIn({ pin: 'D2', edge: 'both', debounceMs: 0, onEdge: (e) => edges.push(e.value) });
  rig.hal.start();
  led.write(1);
  lamp.write(0.6);
  assert.is(led.read(), 1);
  assert.is(lamp.read(), 0.6);
  assert.is(pir.read(), 0);
  rig.clock.advance(1999);
  assert.is(rig.board.duty('3'), 0, 'nothing reaches a board that is not ready');
  rig.clock.advance(1);
  assert.is(rig.board.level('13'), 1);
  assert.is(rig.board.duty('3'), 153 / 255);
  rig.board.setInput('2', 1);
  rig.clock.runDue();
  assert.equal(edges, [1]);
});

test('an input already high when the board comes up is its starting level, not an edge', () => {
  const rig = firmataRig();
  const edges: number[] = [];
  rig.board.setInput('2', 1);
  const pir = rig.hal.digitalIn({ pin: '2', edge: 'both', debounceMs: 0, onEdge: (e) => edges.push(e.value) });
  rig.hal.start();
  rig.clock.advance(100);
  assert.is(pir.read(), 1);
  assert.equal(edges, []);
});

test('a pin the board turns out not to have is logged at the first ready and left running on remembered values', () => {
  const rig = firmataRig();
  const lamp = rig.hal.pwm({ pin: '2', frequency: 1000, initial: 0.5 }); // pin 2 of an Uno has no PWM
  const ping = rig.hal.pulseIn({ trigger: '7', echo: '8', triggerUs: 10, timeoutMs: 30 });
  rig.hal.start();
  rig.clock.runDue();
  const faults = rig.hal.status().pinFaults;
  assert.equal(faults.map((f) => f.pin), ['2', '8']);
  assert.match(faults[0]!.error, 'reports no PWM mode for pin 2');
  assert.match(faults[1]!.error, "this board's Firmata has no PING_READ: flash PingFirmata, or use a node");
  assert.equal(rig.records.filter((r) => r.event === 'firmata.pin-unusable').map((r) => r['pin']), ['2', '8']);
  lamp.write(0.7); // no throw into the controller
  assert.is(lamp.read(), 0.7);
  assert.is(rig.board.duty('2'), 0);
  const got: number[] = [];
  ping.measure((us) => got.push(us));
  rig.clock.advance(30);
  assert.equal(got, [-1]);
});

test.run();
