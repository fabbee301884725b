/**
 * What a Raspberry Pi's GPIO pins cannot do through onoff, and where to do it instead. Options
 * are still validated first, so a broken profile is reported as such wherever it runs.
 */
import { halError, type HalError } from '../../../firmware/hal/errors.js';
import type { PinId } from '../../../firmware/hal/pins.js';

const FIRMATA = 'a Firmata board with the johnny-five backend (transport: { type: firmata, port: ... }) or a Kerb node (transport: serial)';

export function noPwm(pin: PinId): HalError {
  return halError('E_HAL_UNAVAILABLE', pin, `PWM output on pin ${pin}: the onoff backend only switches GPIOs on and off ` +
    `and has no PWM; drive a dimmable lamp from ${FIRMATA}`);
}

export function noAnalog(pin: PinId): HalError {
  return halError('E_HAL_UNAVAILABLE', pin, `analog input on pin ${pin}: a Raspberry Pi has no analog inputs; ` +
    `read the sensor through ${FIRMATA}`);
}

export function noPulseIn(trigger: PinId, echo: PinId): HalError {
  return halError('E_HAL_UNAVAILABLE', echo, `pulse timing on pins ${trigger}/${echo}: onoff cannot time an ultrasonic echo ` +
    `(its interrupts arrive milliseconds late, the echo lasts microseconds); use ${FIRMATA}`);
}

export function noByteStream(port: string): HalError {
  return halError('E_HAL_UNAVAILABLE', port, `byte stream on ${port}: the onoff backend has no serial ports; ` +
    'a Kerb node on a serial port uses the serial node driver (transport: { type: serial, port: ... })');
}

export function noPull(pin: PinId, pull: 'up' | 'down'): HalError {
  return halError('E_HAL_UNAVAILABLE', pin, `digital input on pin ${pin}: onoff cannot set pull-${pull} resistors; ` +
    `fit an external ${pull === 'up' ? '10 kΩ resistor to 3.3 V' : '10 kΩ resistor to GND'}, or set it at boot in ` +
    `/boot/firmware/config.txt with gpio=${pin}=${pull === 'up' ? 'pu' : 'pd'}, and use pull: none`);
}
