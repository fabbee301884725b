/**
 * A view of one MockHal as the separate board of one device: every pin name is prefixed with the
 * device id, so sixty devices sharing a profile (all with a PIR on 'D2') each get their own 'D2'
 * while one virtual clock and one simulated street drive them all.
 */
import type { Hal, PinId } from '../../firmware/hal/pins.js';
import type { MockHal } from './mock-hal.js';

export function boardPin(deviceId: string, pin: PinId): PinId {
  return `${deviceId}/${pin}`;
}

export function deviceBoard(hal: MockHal, deviceId: string): Hal {
  const p = (pin: PinId): PinId => boardPin(deviceId, pin);
  return {
    clock: hal.clock,
    digitalIn: (o) => hal.digitalIn({ ...o, pin: p(o.pin) }),
    digitalOut: (o) => hal.digitalOut({ ...o, pin: p(o.pin) }),
    pwm: (o) => hal.pwm({ ...o, pin: p(o.pin) }),
    analogIn: (o) => hal.analogIn({ ...o, pin: p(o.pin) }),
    pulseIn: (o) => hal.pulseIn({ ...o, trigger: p(o.trigger), echo: p(o.echo) }),
    byteStream: (o) => hal.byteStream({ ...o, port: p(o.port) }),
  };
}
