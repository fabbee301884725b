/**
 * What a node in safe mode still does for the street: a lamp lights at its fail-safe level, the
 * same level it falls back to when its motion sensor fails; sensors do nothing. The level holds
 * day and night, because a node in a crash loop cannot trust its schedule, and a lit lamp by day
 * costs less than a dark street at night.
 */
import type { LampConfig } from '../devices/config.js';
import type { DeviceKind } from '../devices/types.js';
import type { Hal, PinId, PwmOut } from '../hal/pins.js';

export function startFailSafe(kind: DeviceKind, hal: Hal, pins: { [role: string]: PinId }, config: unknown): PwmOut | undefined {
  if (kind !== 'lamp') return undefined;
  const lamp = config as LampConfig;
  return hal.pwm({ pin: pins.driver, frequency: lamp.pwmHz, initial: lamp.failSafeLevel });
}
