/**
 * One board per port for the gateway, and the path the demo takes: a lamp hosted on the Firmata
 * backend, its PIR on a mock-firmata board that follows the simulated street's pin.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createController } from '../../firmware/devices/create.js';
import type { Location, Output } from '../../firmware/devices/types.js';
import { FirmataBoards } from '../../gateway/hal/firmata/firmata-boards.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { lampConfig, LAMP_PINS, NIGHT_2310 } from '../devices/lamp-config.js';
import { followPin } from '../harness/firmata-pin-follower.js';
import { MockFirmataBoard } from '../harness/mock-firmata-board.js';
import { MockHal } from '../harness/mock-hal.js';
import { VirtualClock } from '../harness/virtual-clock.js';

const AMSTERDAM: Location = { latitude: 52.37, longitude: 4.9 };

test('devices naming the same port share one board; another port is another board', () => {
  const clock = new VirtualClock();
  const a = new MockFirmataBoard({ clock });
  const b = new MockFirmataBoard({ clock });
  const boards = new FirmataBoards({ clock, openIo: (port) => (port === '/dev/ttyACM0' ? a : b).open(port) });
  const first = boards.halFor('/dev/ttyACM0');
  assert.is(boards.halFor('/dev/ttyACM0'), first);
  const second = boards.halFor('/dev/ttyUSB0');
  assert.is.not(second, first);
  clock.runDue();
  assert.equal([a.opens, b.opens], [1, 1]);
  first.digitalOut({ pin: '13', initial: 1 });
  second.digitalOut({ pin: '13', initial: 0 });
  assert.equal([a.level('13'), b.level('13')], [1, 0]);
  assert.equal(boards.statuses().map((s) => [s.port, s.state]), [['/dev/ttyACM0', 'ready'], ['/dev/ttyUSB0', 'ready']]);
  boards.close();
  assert.equal(clock.pending(), 0);
});

test('a lamp on mock-firmata, started before its board is up, follows the street PIR end to end', () => {
  const clock = new VirtualClock({ startWall: NIGHT_2310 });
  const street = new MockHal(clock);
  const board = new MockFirmataBoard({ clock, bootMs: 1800 });
  const { log } = memoryLogger();
  const boards = new FirmataBoards({ clock, log, openIo: board.open });
  const outputs: Output[] = [];
  const lamp = createController('lamp', {
    hal: boards.halFor('mock-firmata:lamp-05'), clock, pins: LAMP_PINS, config: lampConfig(), location: AMSTERDAM,
    emit: (o) => outputs.push(o),
  });
  street.setLevel('lamp-05/D2', 0);
  const stop = followPin(street, 'lamp-05/D2', board, LAMP_PINS.pir);
  lamp.start();
  clock.advance(2000);
  assert.is(board.duty(LAMP_PINS.driver), 51 / 255, 'base level 0.2 once the board is up');

  street.setLevel('lamp-05/D2', 1); // a pedestrian
  clock.advance(50);
  assert.is(board.duty(LAMP_PINS.driver), 1);
  assert.ok(outputs.some((o) => o.type === 'reading' && o.metric === 'motion' && o.value === 1));

  board.unplug();
  clock.advance(5000);
  board.plug();
  clock.advance(10_000);
  assert.is(board.boots, 2);
  assert.is(board.duty(LAMP_PINS.driver), 1, 'the lamp level written again after the board came back');
  lamp.stop();
  stop();
  boards.close();
});

test.run();
