/**
 * What the onoff backend says when a GPIO cannot be had: each message names the pin and tells
 * the person at the Pi what to do.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { DigitalInOptions } from '../../firmware/hal/pins.js';
import { PI4_CHIPS_6_6, PI5_CHIPS } from '../harness/fake-gpio-sysfs.js';
import { halCode, onoffRig } from './onoff-rig.js';

const input = (pin: string, extra: Partial<DigitalInOptions> = {}): DigitalInOptions =>
  ({ pin, edge: 'both', debounceMs: 0, onEdge: () => {}, ...extra });

test('GPIO not accessible: E_HAL_UNAVAILABLE naming the two causes and the gpio group', () => {
  const { hal, sysfs } = onoffRig({ accessible: false });
  assert.throws(() => hal.digitalIn(input('17')),
    halCode('E_HAL_UNAVAILABLE', /GPIO is not accessible: not a Raspberry Pi, or no permission/, /gpio group/));
  assert.equal(sysfs.operations, [], 'nothing was exported');
});

test('EACCES on export: a permission message with the usermod command; nothing is left exported', () => {
  const { hal, sysfs } = onoffRig();
  sysfs.fail(17, 'export', 'EACCES');
  assert.throws(() => hal.digitalOut({ pin: '17', initial: 0 }), halCode('E_HAL_UNAVAILABLE', /no permission to export sysfs GPIO 17 \(EACCES\)/, /usermod -aG gpio/));
  sysfs.fail(17, 'export', 'EPERM');
  assert.throws(() => hal.digitalOut({ pin: '17', initial: 0 }), halCode('E_HAL_UNAVAILABLE', /EPERM/));
  assert.equal(sysfs.exported(), []);
  assert.equal(hal.openPins(), [], 'the pin is free for a later try');
  hal.digitalOut({ pin: '17', initial: 0 }).close();
});

test('the offset is detected: BCM 17 is sysfs 588 on a Pi 5 and 529 on a Pi 4 with Linux 6.6, and it is logged', () => {
  for (const [chips, gpio, label] of [[PI5_CHIPS, 588, 'pinctrl-rp1'], [PI4_CHIPS_6_6, 529, 'pinctrl-bcm2711']] as const) {
    const { hal, sysfs, records } = onoffRig({ chips });
    const pin = hal.digitalIn(input('17'));
    assert.equal(sysfs.exported(), [gpio]);
    const base = records.find((r) => r.event === 'gpio.base');
    assert.is(base?.source, 'detected');
    assert.is(base?.label, label);
    pin.close();
  }
});

test('EINVAL with no offset on a Pi 5 names the offset, the chips found and the gpioBase to set', () => {
  const { hal } = onoffRig({ chips: PI5_CHIPS, hal: { gpioBase: 0 } });
  assert.throws(() => hal.digitalIn(input('17')), halCode('E_HAL_UNAVAILABLE',
    /refused sysfs GPIO 17 \(EINVAL\)/, /Linux 6\.6/, /Raspberry Pi 5: 571/, /pinctrl-rp1 at 571/, /gpioBase: 571/));
});

test('EINVAL without a sysfs to look at still explains the 6.6 offset and the option', () => {
  const { hal } = onoffRig({ chips: PI5_CHIPS, withSysfs: false });
  assert.throws(() => hal.digitalIn(input('17')), halCode('E_HAL_UNAVAILABLE',
    /Linux 6\.6/, /Raspberry Pi 4: 512/, /gpiochips found: none/, /gpioBase/));
});

test('a gpioBase that points at no GPIO is reported with the base that would work', () => {
  const { hal } = onoffRig({ chips: PI5_CHIPS, hal: { gpioBase: 399 } });
  assert.throws(() => hal.digitalIn(input('27')), halCode('E_HAL_UNAVAILABLE', /BCM 27 \+ gpioBase 399 \(the gpioBase option\)/, /gpioBase: 571/));
});

test('a gpioBase that differs from the header chip found is warned about (it may open another chip\'s line)', () => {
  const { hal, records } = onoffRig({ chips: PI5_CHIPS, hal: { gpioBase: 512 } });
  hal.digitalIn(input('27')).close();
  const warning = records.find((r) => r.event === 'gpio.base-mismatch');
  assert.equal([warning?.level, warning?.gpioBase, warning?.detectedBase], ['warn', 512, 571]);
});

test('a given gpioBase wins over detection', () => {
  const { hal, sysfs } = onoffRig({ chips: PI5_CHIPS, hal: { gpioBase: 571 } });
  hal.digitalOut({ pin: '4', initial: 1 });
  assert.equal(sysfs.exported(), [575]);
  assert.is(sysfs.level(575), 1);
});

test('pins are BCM numbers as strings; anything else is E_HAL_OPTIONS before the hardware is touched', () => {
  const { hal, sysfs } = onoffRig();
  for (const pin of ['D2', 'GPIO17', '017', '54', '-1', '1.5', 'P1']) {
    assert.throws(() => hal.digitalIn(input(pin)), halCode('E_HAL_OPTIONS', /BCM GPIO number 0\.\.53/), pin);
  }
  assert.throws(() => hal.digitalIn(input('17', { debounceMs: -1 })), halCode('E_HAL_OPTIONS', /debounceMs/));
  assert.equal(sysfs.operations, []);
});

test("pull 'up' or 'down' cannot be set through onoff: E_HAL_UNAVAILABLE saying how to get the pull", () => {
  const { hal, sysfs } = onoffRig();
  assert.throws(() => hal.digitalIn(input('17', { pull: 'up' })), halCode('E_HAL_UNAVAILABLE', /external 10 kΩ resistor to 3\.3 V/, /gpio=17=pu/));
  assert.throws(() => hal.digitalIn(input('17', { pull: 'down' })), halCode('E_HAL_UNAVAILABLE', /gpio=17=pd/));
  assert.equal(sysfs.operations, []);
  hal.digitalIn(input('17', { pull: 'none' })).close();
});

test('PWM, analog input, pulse timing and serial are refused, each naming where to get it; bad options still say so first', () => {
  const { hal, sysfs } = onoffRig();
  assert.throws(() => hal.pwm({ pin: '18', frequency: 1000, initial: 0 }), halCode('E_HAL_UNAVAILABLE', /no PWM/, /johnny-five/, /Firmata/));
  assert.throws(() => hal.pwm({ pin: '18', frequency: 0, initial: 0 }), halCode('E_HAL_OPTIONS'));
  assert.throws(() => hal.analogIn({ pin: '5' }), halCode('E_HAL_UNAVAILABLE', /no analog inputs/, /johnny-five/));
  assert.throws(() => hal.pulseIn({ trigger: '23', echo: '24', triggerUs: 10, timeoutMs: 30 }), halCode('E_HAL_UNAVAILABLE', /pulse timing on pins 23\/24/, /Firmata/));
  assert.throws(() => hal.byteStream({ port: '/dev/ttyUSB0', baud: 115200, onData: () => {} }), halCode('E_HAL_UNAVAILABLE', /serial node driver/));
  assert.equal(sysfs.operations, []);
});

test('one resource per pin: a second open of a held pin is E_HAL_PIN_IN_USE', () => {
  const { hal } = onoffRig();
  hal.digitalIn(input('17'));
  assert.throws(() => hal.digitalOut({ pin: '17', initial: 0 }), halCode('E_HAL_PIN_IN_USE'));
});

test.run();
