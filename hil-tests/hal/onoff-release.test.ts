/**
 * Every GPIO the onoff backend exports is unexported again: on close(), on the HAL's close()
 * when the gateway stops, at process exit or on a signal, and, after a crash that left some
 * exported, at the next start (logged).
 */
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadSite } from '../../device-profiles/index.js';
import type { SiteDevice } from '../../device-profiles/types.js';
import { Gateway } from '../../gateway/gateway.js';
import { processExitRelease } from '../../gateway/hal/onoff/exit-release.js';
import { OnoffHal } from '../../gateway/hal/onoff/onoff-hal.js';
import { topicsFor } from '../../gateway/uplink/topics.js';
import { ROOT } from '../cli/run-kerb.js';
import { halCode, onoffRig } from './onoff-rig.js';

const watch = { edge: 'both' as const, debounceMs: 10, onEdge: () => {} };

test('close() unwatches and unexports; the pin can be opened again', () => {
  const { hal, sysfs } = onoffRig();
  const input = hal.digitalIn({ pin: '27', ...watch });
  const out = hal.digitalOut({ pin: '17', initial: 1 });
  assert.equal(sysfs.exported(), [17, 27]);
  input.close();
  out.close();
  assert.equal(sysfs.exported(), []);
  assert.equal(hal.openPins(), []);
  input.close();
  assert.equal(sysfs.operations.filter((o) => o.op === 'unexport').length, 2, 'a second close() unexports nothing');
  hal.digitalIn({ pin: '27', ...watch }).close();
});

test("the HAL's close() releases every pin, and nothing opens afterwards", () => {
  const { hal, sysfs, exitRelease } = onoffRig();
  hal.digitalIn({ pin: '27', ...watch });
  hal.digitalOut({ pin: '17', initial: 0 });
  hal.close();
  assert.equal(sysfs.exported(), []);
  assert.equal(exitRelease.gpios(), []);
  assert.throws(() => hal.digitalOut({ pin: '22', initial: 0 }), halCode('E_HAL_CLOSED'));
});

test('process exit unexports every pin still held, through the exit hook registered once', () => {
  const { hal, sysfs, proc } = onoffRig();
  hal.digitalIn({ pin: '27', ...watch });
  hal.digitalOut({ pin: '17', initial: 1 });
  assert.is(proc.listenerCount('exit'), 1);
  proc.emit('exit', 1);
  assert.equal(sysfs.exported(), []);
  assert.is(sysfs.level(17), 1, 'the output keeps its level, as a Pi kernel keeps it');
  assert.is(proc.hooks(), 0);
});

test('SIGTERM with no other handler unexports and raises the signal again', () => {
  const { hal, sysfs, proc } = onoffRig();
  hal.digitalIn({ pin: '27', ...watch });
  proc.emit('SIGTERM', 'SIGTERM');
  assert.equal(sysfs.exported(), []);
  assert.equal(proc.kills.map((k) => k.signal), ['SIGTERM']);
});

test('a pin left exported by a crashed run is unexported and exported again, and that is logged', () => {
  const { hal, sysfs, records } = onoffRig();
  sysfs.leaveExported(17, 'out', 1);
  const out = hal.digitalOut({ pin: '17', initial: 0 });
  assert.equal(sysfs.operations, [{ op: 'unexport', gpio: 17 }, { op: 'export', gpio: 17 }]);
  assert.is(sysfs.level(17), 0, 'configured afresh');
  const logged = records.find((r) => r.event === 'gpio.leftover-export');
  assert.equal([logged?.level, logged?.pin, logged?.gpio], ['warn', '17', 17]);
  out.close();
});

test('EBUSY on export: the pin is unexported and exported again once, and that is logged', () => {
  const { hal, sysfs, records } = onoffRig();
  sysfs.fail(27, 'export', 'EBUSY');
  hal.digitalIn({ pin: '27', ...watch });
  assert.equal(sysfs.exported(), [27]);
  assert.ok(records.some((r) => r.event === 'gpio.busy-reexport' && r.gpio === 27));
});

test('EBUSY again after unexporting: E_HAL_PIN_IN_USE naming overlays and other programs', () => {
  const { hal, sysfs } = onoffRig();
  sysfs.fail(27, 'export', 'EBUSY', 2);
  assert.throws(() => hal.digitalIn({ pin: '27', ...watch }), halCode('E_HAL_PIN_IN_USE', /sysfs GPIO 27/, /config\.txt overlays/));
  assert.equal(hal.openPins(), []);
});

test('EBUSY without a sysfs to unexport through is E_HAL_PIN_IN_USE at once', () => {
  const { hal, sysfs } = onoffRig({ withSysfs: false });
  sysfs.fail(27, 'export', 'EBUSY');
  assert.throws(() => hal.digitalIn({ pin: '27', ...watch }), halCode('E_HAL_PIN_IN_USE'));
});

test('an open that fails after the export releases the GPIO again', () => {
  const { hal, sysfs, exitRelease } = onoffRig();
  sysfs.fail(27, 'open', 'EACCES');
  assert.throws(() => hal.digitalIn({ pin: '27', ...watch }), halCode('E_HAL_UNAVAILABLE', /no permission/));
  assert.equal(sysfs.exported(), []);
  assert.equal(exitRelease.gpios(), []);
});

test('two HALs in one process cannot both hold a pin, and the second does not unexport the first', () => {
  const { hal, sysfs, Gpio, exitRelease, clock, log } = onoffRig();
  hal.digitalIn({ pin: '27', ...watch });
  const other = new OnoffHal({ clock, Gpio, sysfs, exitRelease, log });
  assert.throws(() => other.digitalOut({ pin: '27', initial: 0 }), halCode('E_HAL_PIN_IN_USE', /another OnoffHal/));
  assert.equal(sysfs.operations, [{ op: 'export', gpio: 27 }]);
});

test('the gateway closes its backends on stop; a lamp on GPIO fails to start for want of PWM and leaves nothing exported', () => {
  const { hal, sysfs, clock, log, records } = onoffRig();
  const r = loadSite(path.join(ROOT, 'hil-tests', 'gateway', 'small-street.yaml'), { profilesDir: path.join(ROOT, 'device-profiles') });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const lamp = r.value.devices.find((d) => d.id === 'lamp-gpio')!;
  const device: SiteDevice = { ...lamp, pins: { ...lamp.pins, pir: '17', driver: '18' } };
  const gateway = new Gateway({
    site: r.value.site, gateway: r.value.gateway, devices: [device], clock, epoch: 1, log, topics: topicsFor(r.value.site, r.value.gateway),
    sink: { send: () => true }, halFor: () => hal, backends: [hal],
  });
  gateway.start();
  assert.equal(gateway.failedDevices().map((f) => f.id), ['lamp-gpio']);
  assert.match(gateway.failedDevices()[0]!.error, /johnny-five/);
  assert.equal(sysfs.exported(), [], 'the PIR input opened first was released');
  hal.digitalOut({ pin: '22', initial: 0 });
  gateway.stop();
  assert.equal(sysfs.exported(), []);
  assert.not.ok(records.some((x) => x.event === 'backend.close-failed'));
});

test('the exit registry is shared process-wide by default and hooks nothing until a pin is held', () => {
  const before = process.listenerCount('exit');
  const { clock, Gpio, sysfs, log } = onoffRig();
  const hal = new OnoffHal({ clock, Gpio, sysfs, log });
  assert.is(process.listenerCount('exit'), before, 'the constructor touches nothing');
  const out = hal.digitalOut({ pin: '17', initial: 0 });
  assert.is(process.listenerCount('exit'), before + 1);
  out.close();
  assert.is(process.listenerCount('exit'), before);
  assert.equal(processExitRelease.gpios(), []);
});

test.run();
