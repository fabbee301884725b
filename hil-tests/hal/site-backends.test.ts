/**
 * Any profile on any backend: the gateway hosts a site whose lamps sit on the mock, on the Pi's
 * GPIO (onoff, a fake Pi here) and on a Firmata board (johnny-five on a mock board), each lamp on
 * the transport its site entry names; a device whose backend cannot give it a pin is reported,
 * and the others run on.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lampConfig } from '../devices/lamp-config.js';
import { AMSTERDAM } from '../devices/rig.js';
import { ExitRelease } from '../../gateway/hal/onoff/exit-release.js';
import { SiteBackends } from '../../gateway/hal/backends.js';
import type { FirmataHal } from '../../gateway/hal/firmata/firmata-hal.js';
import { Gateway } from '../../gateway/gateway.js';
import type { HostedDeviceConfig } from '../../gateway/host/device-host.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { topicsFor } from '../../gateway/uplink/topics.js';
import { deviceBoard } from '../harness/device-board.js';
import { createFakeGpio } from '../harness/fake-gpio.js';
import { PI5_CHIPS } from '../harness/fake-gpio-sysfs.js';
import { FakeProcess } from '../harness/fake-process.js';
import { MockFirmataBoard } from '../harness/mock-firmata-board.js';
import { MockHal } from '../harness/mock-hal.js';
import { settle } from '../harness/run-clock.js';
import { VirtualClock } from '../harness/virtual-clock.js';

/** 23:10 in Amsterdam on 2026-06-21: night, so every lamp burns at its base level. */
const NIGHT = Date.UTC(2026, 5, 21, 21, 10);

function lamp(id: string, transport: HostedDeviceConfig['transport'], pins: Record<string, string>): HostedDeviceConfig {
  return { id, kind: 'lamp', pins, config: lampConfig(), location: AMSTERDAM, reporting: { windowS: 60 }, transport };
}

test('lamps on mock, GPIO and Firmata run side by side; one that needs PWM on GPIO is refused and named', async () => {
  const clock = new VirtualClock({ startWall: NIGHT });
  const hal = new MockHal(clock);
  const { sysfs, Gpio } = createFakeGpio({ chips: PI5_CHIPS });
  const board = new MockFirmataBoard({ clock });
  const { log, records } = memoryLogger();
  const backends = new SiteBackends({
    clock, log, mock: (d) => deviceBoard(hal, d.id),
    gpio: { Gpio, sysfs, exitRelease: new ExitRelease(new FakeProcess()) },
    firmata: { openIo: board.open },
  });
  const devices = [
    lamp('lamp-mock', { type: 'mock' }, { pir: 'D2', driver: 'D3' }),
    lamp('lamp-firmata', { type: 'firmata', port: 'mock:uno' } as HostedDeviceConfig['transport'], { pir: '2', driver: '3' }),
    // A lamp on the Pi's header: its PIR is fine on GPIO, but the header has no PWM for its driver.
    lamp('lamp-gpio', { type: 'gpio' }, { pir: '17', driver: '18' }),
  ];
  const gateway = new Gateway({
    site: 's', gateway: 'g', devices, clock, epoch: 1, log, topics: topicsFor('s', 'g'),
    sink: { send: () => true }, halFor: (d) => backends.halFor(d), backends: [backends],
  });
  gateway.start();
  clock.advance(5_000);
  await settle();
  clock.advance(5_000);
  await settle();

  assert.equal(gateway.devices().map((d) => d.id).sort(), ['lamp-firmata', 'lamp-mock']);
  const [failed] = gateway.failedDevices();
  assert.is(failed!.id, 'lamp-gpio');
  assert.match(failed!.error, /PWM/);
  assert.match(failed!.error, /Firmata|node/, 'it names the backend that has PWM');
  assert.is(sysfs.exported().length, 0, "the refused lamp's PIR pin was released again");
  assert.is(hal.duty('lamp-mock/D3'), 0.2, 'the mock lamp burns at base level');
  assert.ok(Math.abs(board.duty('3') - 0.2) <= 1 / 255, `the Firmata lamp too (${board.duty('3')})`);
  assert.ok(records.some((r) => r.event === 'device.start-failed'));

  const uno = backends.halFor(devices[1]!) as FirmataHal; // the board lamp-firmata runs on
  assert.is(uno.status().state, 'ready');
  gateway.stop();
  assert.is(uno.status().state, 'closed', 'the Firmata board was closed with the gateway');
});

test('a transport with no pin backend is refused by name', () => {
  const backends = new SiteBackends({ clock: new VirtualClock() });
  assert.throws(() => backends.halFor(lamp('n', { type: 'serial', port: '/dev/ttyUSB0' } as HostedDeviceConfig['transport'], {})), /serial devices are nodes/);
  assert.throws(() => backends.halFor(lamp('m', { type: 'mock' }, {})), /mock pins exist only in the demo and the tests/);
});

test.run();
