/**
 * Everything the lines of one OnoffHal share, settled at the first open rather than in the
 * constructor (constructors only store): onoff's Gpio class, whether GPIO is accessible at all,
 * the sysfs access and the numbering offset (given, or detected and logged once).
 */
import type { PinId } from '../../../firmware/hal/pins.js';
import type { Logger } from '../../log/logger.js';
import type { LineContext } from './exported-line.js';
import type { ExitRelease } from './exit-release.js';
import type { GpioClass, SysfsGpio } from './gpio-api.js';
import { detectGpioBase } from './gpio-base.js';
import { notAccessible, type BaseInUse } from './gpio-errors.js';
import { loadOnoff } from './load-onoff.js';
import { nodeSysfs } from './node-sysfs.js';

export interface LineContextOptions {
  Gpio?: GpioClass;
  gpioBase?: number;
  sysfs?: SysfsGpio;
  log: Logger;
  exitRelease: ExitRelease;
}

/** Throws E_HAL_UNAVAILABLE when onoff cannot be loaded or GPIO is not accessible. */
export function resolveLineContext(o: LineContextOptions, pin: PinId): LineContext {
  const Gpio = o.Gpio ?? loadOnoff(pin);
  if (!Gpio.accessible) throw notAccessible(pin);
  // A test that injects a Gpio must never touch the real /sys: no sysfs unless it gives one.
  const sysfs = o.sysfs ?? (o.Gpio === undefined ? nodeSysfs : undefined);
  const base = baseInUse(o, sysfs);
  o.log.info('gpio.base', {
    base: base.value, source: base.source, ...(base.header ? { chip: base.header.name, label: base.header.label, detectedBase: base.header.base } : {}),
  });
  if (base.source === 'option' && base.header !== undefined && base.header.base !== base.value) {
    o.log.warn('gpio.base-mismatch', {
      gpioBase: base.value, detectedBase: base.header.base, label: base.header.label,
      hint: 'the gpioBase option differs from the header chip found; pins may land on another chip',
    });
  }
  return { Gpio, sysfs, base, log: o.log, exitRelease: o.exitRelease };
}

function baseInUse(o: LineContextOptions, sysfs: SysfsGpio | undefined): BaseInUse {
  const found = sysfs !== undefined ? detectGpioBase(sysfs) : { base: 0, header: undefined, chips: [] };
  if (o.gpioBase !== undefined) return { value: o.gpioBase, source: 'option', chips: found.chips, header: found.header };
  return { value: found.base, source: found.header !== undefined ? 'detected' : 'none', chips: found.chips, header: found.header };
}
