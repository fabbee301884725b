/**
 * Option checks shared by every backend, run before any hardware is touched. Each check lists
 * every problem at once, so a technician fixing a profile sees the whole picture.
 */
import { halError } from './errors.js';
import type {
  AnalogInOptions, ByteStreamOptions, DigitalInOptions, DigitalOutOptions, PulseInOptions, PwmOptions,
} from './pins.js';

function isPin(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

function isFiniteNumber(value: unknown): boolean {
  return typeof value === 'number' && isFinite(value);
}

function fail(kind: string, pin: string, problems: string[]): void {
  if (problems.length > 0) {
    throw halError('E_HAL_OPTIONS', pin, kind + ' on pin ' + (pin || '?') + ': ' + problems.join('; '));
  }
}

export function checkDigitalIn(o: DigitalInOptions): void {
  const p: string[] = [];
  if (!isPin(o.pin)) p.push('pin must be a non-empty string');
  if (o.edge !== 'rising' && o.edge !== 'falling' && o.edge !== 'both') {
    p.push("edge must be 'rising', 'falling' or 'both', got " + String(o.edge));
  }
  if (!isFiniteNumber(o.debounceMs) || o.debounceMs < 0) p.push('debounceMs must be a number >= 0');
  if (o.pull !== undefined && o.pull !== 'up' && o.pull !== 'down' && o.pull !== 'none') {
    p.push("pull must be 'up', 'down' or 'none'");
  }
  if (typeof o.onEdge !== 'function') p.push('onEdge must be a function');
  fail('digital input', o.pin, p);
}

export function checkDigitalOut(o: DigitalOutOptions): void {
  const p: string[] = [];
  if (!isPin(o.pin)) p.push('pin must be a non-empty string');
  if (o.initial !== 0 && o.initial !== 1) p.push('initial must be 0 or 1');
  fail('digital output', o.pin, p);
}

export function checkPwm(o: PwmOptions): void {
  const p: string[] = [];
  if (!isPin(o.pin)) p.push('pin must be a non-empty string');
  if (!isFiniteNumber(o.frequency) || o.frequency <= 0) p.push('frequency must be a number > 0 Hz');
  if (!isFiniteNumber(o.initial) || o.initial < 0 || o.initial > 1) p.push('initial duty must be within 0..1');
  fail('PWM output', o.pin, p);
}

export function checkDuty(pin: string, duty: number): void {
  if (!isFiniteNumber(duty) || duty < 0 || duty > 1) {
    throw halError('E_HAL_RANGE', pin, 'PWM duty on pin ' + pin + ' must be within 0..1, got ' + String(duty));
  }
}

export function checkAnalogIn(o: AnalogInOptions): void {
  const p: string[] = [];
  if (!isPin(o.pin)) p.push('pin must be a non-empty string');
  fail('analog input', o.pin, p);
}

export function checkPulseIn(o: PulseInOptions): void {
  const p: string[] = [];
  if (!isPin(o.trigger)) p.push('trigger must be a non-empty string');
  if (!isPin(o.echo)) p.push('echo must be a non-empty string');
  if (o.trigger === o.echo) p.push('trigger and echo must be different pins');
  if (!isFiniteNumber(o.triggerUs) || o.triggerUs <= 0) p.push('triggerUs must be a number > 0');
  if (!isFiniteNumber(o.timeoutMs) || o.timeoutMs <= 0) p.push('timeoutMs must be a number > 0');
  fail('pulse timer', o.echo, p);
}

export function checkByteStream(o: ByteStreamOptions): void {
  const p: string[] = [];
  if (!isPin(o.port)) p.push('port must be a non-empty string');
  if (!isFiniteNumber(o.baud) || o.baud <= 0) p.push('baud must be a number > 0');
  if (typeof o.onData !== 'function') p.push('onData must be a function');
  fail('byte stream', o.port, p);
}
