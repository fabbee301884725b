/**
 * Loads onoff's Gpio class only when a GPIO is first opened, so the gateway starts on a laptop
 * or a Pi without onoff (and its native epoll addon) as long as no device uses the gpio
 * transport.
 */
import { createRequire } from 'node:module';
import type { PinId } from '../../../firmware/hal/pins.js';
import type { GpioClass } from './gpio-api.js';
import { onoffMissing } from './gpio-errors.js';

const require = createRequire(import.meta.url);

/** onoff's Gpio, or the error text when it cannot be loaded. */
export function tryLoadOnoff(): { Gpio: GpioClass } | { error: unknown } {
  try {
    return { Gpio: (require('onoff') as { Gpio: GpioClass }).Gpio };
  } catch (error) {
    return { error };
  }
}

/** onoff's Gpio, or E_HAL_UNAVAILABLE saying how to install it. */
export function loadOnoff(pin: PinId): GpioClass {
  const loaded = tryLoadOnoff();
  if ('error' in loaded) throw onoffMissing(pin, loaded.error);
  return loaded.Gpio;
}
