/**
 * What went wrong with a Firmata board, in words a technician can act on. Every one is an
 * E_HAL_UNAVAILABLE whose `pin` is the port, so the log and the status page name the board.
 */
import { halError, type HalError } from '../../../firmware/hal/errors.js';
import { describePortError } from '../../node/port-error.js';

export function notReadyError(port: string, ms: number): HalError {
  return halError('E_HAL_UNAVAILABLE', port,
    `the Firmata board on ${port} was not ready within ${ms / 1000} s: is StandardFirmata (or PingFirmata) flashed on it, ` +
    `is ${port} the board's port (ls /dev/serial/by-id), and does its firmware talk at 57600 baud?`);
}

export function openError(port: string, err: unknown): HalError {
  const serial = describePortError(port, err, 'open');
  const why = textOf(err);
  const advice = serial.code === 'E_SERIAL_ACCESS'
    ? 'add the user the gateway runs as to the dialout group (sudo usermod -aG dialout USER) and restart the service'
    : serial.code === 'E_SERIAL_BUSY'
      ? 'another program has the port open (the Arduino IDE serial monitor, a second gateway): close it'
      : `is the board plugged in, and is ${port} its port (ls /dev/serial/by-id)?`;
  return halError('E_HAL_UNAVAILABLE', port, `cannot open the Firmata board on ${port}${why ? ` (${why})` : ''}: ${advice}`);
}

export function lostError(port: string, why: string): HalError {
  return halError('E_HAL_UNAVAILABLE', port,
    `the Firmata board on ${port} was lost (${why}): the cable was pulled or the board reset; the gateway reconnects when it is back`);
}

export function textOf(err: unknown): string {
  if (err === null || err === undefined) return '';
  if (err instanceof Error) return err.message.replace(/^Error:?\s*/, '');
  return String(err);
}
