/**
 * What went wrong when a GPIO could not be opened, told so that the person at the Pi can fix it:
 * no GPIO at all, no permission, the 6.6-kernel numbering offset, a pin someone else holds.
 * Every message names the BCM pin and the sysfs number that was tried.
 */
import { halError, type HalError } from '../../../firmware/hal/errors.js';
import type { PinId } from '../../../firmware/hal/pins.js';
import { describeChips, type GpioChip } from './gpio-base.js';

/** How the numbering offset in use was chosen. */
export interface BaseInUse {
  value: number;
  /** 'option': gpioBase was given; 'detected': from a header gpiochip; 'none': no chip found, 0. */
  source: 'option' | 'detected' | 'none';
  chips: GpioChip[];
  header: GpioChip | undefined;
}

export interface ExportAttempt {
  pin: PinId;
  /** The sysfs GPIO number written to the export file: BCM number + base. */
  gpio: number;
  base: BaseInUse;
}

export const GROUP_HINT = 'add the user running the gateway to the gpio group: sudo usermod -aG gpio <user>, then log in again';

export function notAccessible(pin: PinId): HalError {
  return halError('E_HAL_UNAVAILABLE', pin, `GPIO ${pin}: GPIO is not accessible: not a Raspberry Pi, or no permission (${GROUP_HINT}); ` +
    '/sys/class/gpio/export could not be opened for writing');
}

export function onoffMissing(pin: PinId, cause: unknown): HalError {
  return halError('E_HAL_UNAVAILABLE', pin, `GPIO ${pin}: the onoff package could not be loaded (${errorText(cause)}); ` +
    'install it on the Pi with npm install onoff (it builds the epoll addon, Linux only)');
}

/** E_HAL_PIN_IN_USE for a GPIO the kernel still calls busy after we unexported it. */
export function heldElsewhere(a: ExportAttempt): HalError {
  return halError('E_HAL_PIN_IN_USE', a.pin, `GPIO ${a.pin} (sysfs GPIO ${a.gpio}) is held by a kernel driver or another program (EBUSY), ` +
    'also after unexporting it: check config.txt overlays that claim it (w1-gpio, spi, i2c, uart) and other GPIO programs (pigpiod, gpiod tools)');
}

/** The HalError for a failed export, by the file system's error code. */
export function exportFailed(a: ExportAttempt, err: unknown): HalError {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'EACCES' || code === 'EPERM') {
    return halError('E_HAL_UNAVAILABLE', a.pin, `GPIO ${a.pin}: no permission to export sysfs GPIO ${a.gpio} (${code}): ${GROUP_HINT}; ` +
      'or check the udev rules that give the gpio group /sys/class/gpio');
  }
  if (code === 'EINVAL' || code === 'ENOENT') return halError('E_HAL_UNAVAILABLE', a.pin, noSuchGpio(a, code));
  if (code === 'EBUSY') return heldElsewhere(a);
  return halError('E_HAL_UNAVAILABLE', a.pin, `GPIO ${a.pin}: exporting sysfs GPIO ${a.gpio} failed: ${errorText(err)}`);
}

function noSuchGpio(a: ExportAttempt, code: string): string {
  const { base } = a;
  const found = `gpiochips found: ${describeChips(base.chips)}`;
  const head = `GPIO ${a.pin}: the kernel refused sysfs GPIO ${a.gpio} (${code})`;
  const fix = base.header !== undefined && base.header.base !== base.value
    ? `set the gateway option gpioBase: ${base.header.base} (the ${base.header.label} chip's base)`
    : 'set the gateway option gpioBase to the base of the chip labelled pinctrl-rp1 or pinctrl-bcm2711 in /sys/class/gpio/gpiochip*/{base,label}';
  if (base.value === 0) {
    return `${head}. On Linux 6.6 and later the sysfs numbers of the header GPIOs start at an offset ` +
      `(Raspberry Pi 5: 571, Raspberry Pi 4: 512), so BCM 17 is sysfs GPIO 588 on a Pi 5; ${found}. ` +
      `To fix: ${fix}, or leave gpioBase unset so the gateway detects it`;
  }
  const how = base.source === 'option' ? 'the gpioBase option' : `detected from ${base.header?.label ?? 'a gpiochip'}`;
  return `${head}: BCM ${a.gpio - base.value} + gpioBase ${base.value} (${how}) is not a GPIO this kernel has; ${found}. To fix: ${fix}`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
