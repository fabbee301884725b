/**
 * HC-SR04-style ultrasonic ranging: timing constants and the echo-width to distance
 * conversion with the speed of sound corrected for air temperature,
 * c = (331.3 + 0.606 * T) m/s = (331.3 + 0.606 * T) / 1e4 cm/µs, distance = echoUs * c / 2.
 */
import type { PulseInOptions } from '../hal/pins.js';

/** Trigger pulse width; the HC-SR04 wants at least 10 µs. */
export const TRIGGER_US = 10;
/** No echo after this long counts as none (about 6.8 m at 20 °C, beyond the sensor's range). */
export const ECHO_TIMEOUT_MS = 40;
/** Pause between measurements of a burst, so the last ping's echoes have died away. */
export const BURST_GAP_MS = 60;
/** Air temperature assumed until a sensor says otherwise. */
export const DEFAULT_AIR_C = 20;

export function speedOfSoundCmPerUs(airC: number): number {
  return (331.3 + 0.606 * airC) / 1e4;
}

/** Distance in cm for an echo width in µs; NaN for no echo (a negative width). */
export function echoToCm(echoUs: number, airC: number): number {
  if (!(echoUs >= 0)) return NaN;
  return echoUs * speedOfSoundCmPerUs(airC) / 2;
}

export function pulseOptions(trigger: string, echo: string): PulseInOptions {
  return { trigger, echo, triggerUs: TRIGGER_US, timeoutMs: ECHO_TIMEOUT_MS };
}
