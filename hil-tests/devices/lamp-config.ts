/** The lamp-pir-pwm profile's config and pins, as the loader would hand them over. */
import type { LampConfig } from '../../firmware/devices/config.js';

export function lampConfig(): LampConfig {
  return {
    fullLevel: 1,
    baseLevel: 0.2,
    holdS: 30,
    fadeS: 3,
    pwmHz: 1000,
    pirDebounceMs: 50,
    failSafeLevel: 0.6,
    pirStuckHighS: 600,
    pirSilentS: 172800,
    schedule: {
      source: 'sun', duskOffsetMin: -10, dawnOffsetMin: 10,
      lightOnBelow: 0.15, lightOffAbove: 0.25, lightDelayS: 120, checkS: 60,
    },
  };
}

export const LAMP_PINS = { pir: 'D2', driver: 'D3' };
/** 23:10 in Amsterdam (CEST, UTC+2) on 2026-06-21: well after sunset. */
export const NIGHT_2310 = Date.UTC(2026, 5, 21, 21, 10);
/** Noon in Amsterdam on the same day. */
export const MIDDAY = Date.UTC(2026, 5, 21, 10, 0);
