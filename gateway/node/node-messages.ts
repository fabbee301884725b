/**
 * Reads what a node sends over the serial link (firmware/link/messages.ts) into the same
 * Outputs a hosted controller emits, so the gateway aggregates a remote device exactly like a
 * local one. Anything malformed is refused with a LinkMessageError naming the place and the
 * reason; one bad item refuses its whole frame, never the link.
 */
import type { DeviceEvent, Output, Reading, Severity } from '../../firmware/devices/types.js';
import { MSG_EVENT, MSG_READING, SEVERITY_CODES, type Hello } from '../../firmware/link/messages.js';
import { decodeCbor } from '../batch/cbor.js';

export class LinkMessageError extends Error {
  readonly code = 'E_LINK_MESSAGE';
  constructor(readonly path: string, message: string) {
    super(`${path ? `${path}: ` : ''}${message}`);
    this.name = 'LinkMessageError';
  }
}

function fail(path: string, message: string): never {
  throw new LinkMessageError(path, message);
}

function decode(bytes: Uint8Array): unknown {
  try {
    return decodeCbor(bytes);
  } catch (err) {
    return fail('', `not well-formed CBOR (${(err as Error).message})`);
  }
}

function text(v: unknown, path: string, maxLength: number): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > maxLength) fail(path, `expected text of 1..${maxLength} characters`);
  return v;
}

function finite(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'expected a finite number');
  return v;
}

export function decodeHello(bytes: Uint8Array): Hello {
  const v = decode(bytes);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail('', 'a hello is a map');
  const m = v as Record<string, unknown>;
  const boot = finite(m.boot, 'boot');
  if (!Number.isInteger(boot) || boot < 0) fail('boot', 'expected a boot count >= 0');
  return { id: text(m.id, 'id', 64), kind: text(m.kind, 'kind', 16), fw: text(m.fw, 'fw', 32), profile: text(m.profile, 'profile', 64), boot };
}

/** The outputs of one frame, timed on the gateway's monotonic clock (`receivedAt`). */
export function decodeOutputs(bytes: Uint8Array, receivedAt: number): Output[] {
  const v = decode(bytes);
  if (!Array.isArray(v)) fail('', 'expected an array of outputs');
  return v.map((item, i): Output => {
    const p = `[${i}]`;
    if (!Array.isArray(item)) fail(p, 'expected an array');
    if (item[0] !== MSG_READING && item[0] !== MSG_EVENT) fail(`${p}[0]`, `unknown message type ${String(item[0])}`);
    const age = finite(item[item[0] === MSG_READING ? 3 : 4], `${p} age`);
    if (age < 0) fail(`${p} age`, 'expected an age >= 0');
    const time = receivedAt - age;
    if (item[0] === MSG_READING) {
      if (item.length !== 4) fail(p, `a reading has 4 items, found ${item.length}`);
      const reading: Reading = { type: 'reading', metric: text(item[1], `${p}[1]`, 32), value: finite(item[2], `${p}[2]`), time };
      return reading;
    }
    if (item.length !== 5 && item.length !== 6) fail(p, `an event has 5 or 6 items, found ${item.length}`);
    const code = item[2];
    const severity = typeof code === 'number' && Number.isInteger(code) ? SEVERITY_CODES[code] : undefined;
    if (severity === undefined) fail(`${p}[2]`, `expected a severity code 0..${SEVERITY_CODES.length - 1}`);
    const event: DeviceEvent = {
      type: 'event', name: text(item[1], `${p}[1]`, 32), severity: severity as Severity, value: finite(item[3], `${p}[3]`), time,
      detail: item.length === 6 ? text(item[5], `${p}[5]`, 200) : '',
    };
    return event;
  });
}
