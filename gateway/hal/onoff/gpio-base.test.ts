import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { SysfsGpio } from './gpio-api.js';
import { describeChips, detectGpioBase } from './gpio-base.js';

/** A read-only /sys/class/gpio from a list of chips. */
function sysfsWith(chips: Array<{ base: number; label: string; ngpio?: number }>, extra: string[] = []): SysfsGpio {
  const files = new Map<string, string>();
  for (const c of chips) {
    files.set(`/sys/class/gpio/gpiochip${c.base}/base`, `${c.base}\n`);
    files.set(`/sys/class/gpio/gpiochip${c.base}/label`, `${c.label}\n`);
    if (c.ngpio !== undefined) files.set(`/sys/class/gpio/gpiochip${c.base}/ngpio`, `${c.ngpio}\n`);
  }
  return {
    list: (dir) => (dir === '/sys/class/gpio' ? ['export', 'unexport', ...chips.map((c) => `gpiochip${c.base}`), ...extra] : []),
    read: (file) => files.get(file),
    exists: (path) => files.has(path),
    write: () => {
      throw new Error('read-only');
    },
  };
}

test('a Raspberry Pi 5 on Linux 6.6: the header is the pinctrl-rp1 chip at 571', () => {
  const found = detectGpioBase(sysfsWith([
    { base: 512, label: 'gpio-brcmstb@107d508500', ngpio: 32 }, { base: 544, label: 'gpio-brcmstb@107d508520' },
    { base: 571, label: 'pinctrl-rp1', ngpio: 54 },
  ]));
  assert.is(found.base, 571);
  assert.equal(found.header, { name: 'gpiochip571', base: 571, ngpio: 54, label: 'pinctrl-rp1' });
  assert.is(found.chips.length, 3);
});

test('a Raspberry Pi 4 on Linux 6.6: pinctrl-bcm2711 at 512, not the expander at 570', () => {
  const found = detectGpioBase(sysfsWith([{ base: 570, label: 'raspberrypi-exp-gpio' }, { base: 512, label: 'pinctrl-bcm2711' }]));
  assert.is(found.base, 512);
  assert.is(found.header?.label, 'pinctrl-bcm2711');
  assert.equal(found.chips.map((c) => c.base), [512, 570], 'in base order');
});

test('an older kernel numbers the header from 0', () => {
  const found = detectGpioBase(sysfsWith([{ base: 0, label: 'pinctrl-bcm2835' }, { base: 504, label: 'raspberrypi-exp-gpio' }]));
  assert.is(found.base, 0);
  assert.is(found.header?.name, 'gpiochip0');
});

test('no known header chip (not a Pi, or no sysfs GPIO at all) gives base 0 and no header', () => {
  assert.equal(detectGpioBase(sysfsWith([])), { base: 0, header: undefined, chips: [] });
  const other = detectGpioBase(sysfsWith([{ base: 496, label: 'gpio-mockup-A' }]));
  assert.is(other.base, 0);
  assert.is(other.header, undefined);
  assert.is(other.chips.length, 1);
});

test('entries that are not gpiochips, or have no readable base, are ignored', () => {
  const found = detectGpioBase(sysfsWith([{ base: 571, label: 'pinctrl-rp1' }], ['gpio588', 'gpiochip9']));
  assert.equal(found.chips.map((c) => c.name), ['gpiochip571']);
});

test('chips are described with the board their label means', () => {
  const found = detectGpioBase(sysfsWith([{ base: 512, label: 'gpio-brcmstb@107d508500' }, { base: 571, label: 'pinctrl-rp1' }]));
  assert.is(describeChips(found.chips), 'gpio-brcmstb@107d508500 at 512, pinctrl-rp1 at 571 (Raspberry Pi 5)');
  assert.is(describeChips([]), 'none');
});

test.run();
