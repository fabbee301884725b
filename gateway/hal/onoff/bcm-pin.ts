/**
 * onoff pins are BCM GPIO numbers written as strings ('17'), the numbers printed on pinout
 * diagrams, not physical header positions. The SoC has GPIOs 0..53 (0..27 on the header).
 */
import { halError } from '../../../firmware/hal/errors.js';
import type { PinId } from '../../../firmware/hal/pins.js';

export const MAX_BCM_GPIO = 53;

/** The BCM number of `pin`, or E_HAL_OPTIONS saying what a pin name must look like. */
export function bcmNumber(pin: PinId, kind: string): number {
  if (typeof pin === 'string' && /^(0|[1-9]\d?)$/.test(pin) && Number(pin) <= MAX_BCM_GPIO) return Number(pin);
  throw halError('E_HAL_OPTIONS', String(pin), `${kind} on pin ${String(pin)}: the onoff backend names pins by BCM GPIO ` +
    `number 0..${MAX_BCM_GPIO} as a string, e.g. '17', got '${String(pin)}' (give a gpio device its BCM pins in the site file's pin overrides)`);
}
