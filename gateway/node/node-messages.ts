/**
 * Reads what a node sends over the serial link (firmware/link/messages.ts) into the same
 * Outputs a hosted controller emits, so the gateway aggregates a remote device exactly like a
 * local one. Anything malformed is refused with a LinkMessageError naming the place and the
 * reason; one bad item refuses its whole frame, never the link.
 */
import type { Command, DeviceEvent, Output, Reading, Severity, StateValue } from '../../firmware/devices/types.js';
import { MAX_PAYLOAD } from '../../firmware/link/frame.js';
import {
  MSG_COMMAND, MSG_EVENT, MSG_READING, MSG_RESULT, MSG_SETUP, MSG_MAINTENANCE, MSG_STATE, SEVERITY_CODES, type Hello,
} from '../../firmware/link/messages.js';
import { decodeCbor, encodeCbor } from '../batch/cbor.js';

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

/** A value for a message: a decoded map may carry its own `toString` (a number), which String() would trip on. */
function shown(v: unknown): string {
  if (v === null || typeof v !== 'object') return String(v);
  return Array.isArray(v) ? 'an array' : 'a map';
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
  const mode = m.mode === undefined ? 'run' : m.mode;
  if (mode !== 'run' && mode !== 'safe') fail('mode', "expected 'run' or 'safe'");
  return { id: text(m.id, 'id', 64), kind: text(m.kind, 'kind', 16), fw: text(m.fw, 'fw', 32), profile: text(m.profile, 'profile', 64), boot, mode };
}

export interface NodeCommandResult {
  id: number;
  code: string;
  message: string;
}

/** Everything one data frame from a node carried. */
export interface NodePayload {
  outputs: Output[];
  /** The controller's latest state snapshot, if the frame carried one. */
  state?: { [key: string]: StateValue };
  results: NodeCommandResult[];
}

function stateMap(v: unknown, path: string): { [key: string]: StateValue } {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(path, 'expected a map');
  const out: { [key: string]: StateValue } = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (typeof x !== 'number' && typeof x !== 'string' && typeof x !== 'boolean') fail(`${path}.${k}`, 'expected a number, text or boolean');
    out[k] = x;
  }
  return out;
}

function output(item: unknown[], p: string, receivedAt: number): Output {
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
}

/** One data frame from a node, its outputs timed on the gateway's monotonic clock (`receivedAt`). */
export function decodeNodePayload(bytes: Uint8Array, receivedAt: number): NodePayload {
  const v = decode(bytes);
  if (!Array.isArray(v)) fail('', 'expected an array of outputs');
  const payload: NodePayload = { outputs: [], results: [] };
  v.forEach((item: unknown, i) => {
    const p = `[${i}]`;
    if (!Array.isArray(item)) fail(p, 'expected an array');
    if (item[0] === MSG_READING || item[0] === MSG_EVENT) {
      payload.outputs.push(output(item, p, receivedAt));
    } else if (item[0] === MSG_STATE) {
      if (item.length !== 2) fail(p, `a state has 2 items, found ${item.length}`);
      payload.state = stateMap(item[1], `${p}[1]`);
    } else if (item[0] === MSG_RESULT) {
      if (item.length !== 3 && item.length !== 4) fail(p, `a command result has 3 or 4 items, found ${item.length}`);
      const id = item[1];
      if (!Number.isInteger(id) || (id as number) < 0 || (id as number) > 0xffff) fail(`${p}[1]`, 'expected a command id 0..65535');
      payload.results.push({ id: id as number, code: text(item[2], `${p}[2]`, 32), message: item.length === 4 ? shown(item[3]) : '' });
    } else {
      fail(`${p}[0]`, `unknown message type ${shown(item[0])}`);
    }
  });
  return payload;
}

/** The outputs of one frame, timed on the gateway's monotonic clock (`receivedAt`). */
export function decodeOutputs(bytes: Uint8Array, receivedAt: number): Output[] {
  return decodeNodePayload(bytes, receivedAt).outputs;
}

function fitted(value: unknown, what: string): Uint8Array {
  const bytes = encodeCbor(value);
  if (bytes.length > MAX_PAYLOAD) throw new LinkMessageError('', `${what} of ${bytes.length} bytes exceeds a frame's ${MAX_PAYLOAD}`);
  return bytes;
}

/**
 * The gateway's hello: a new epoch tells the node the gateway restarted. `session` numbers the
 * driver's connections to the port, so a reopened port's hello differs from the last one too
 * and the node takes it as new (and re-sends its state) rather than as a repeat.
 */
export function encodeGatewayHello(gateway: string, epoch: number, session?: number): Uint8Array {
  return fitted(session === undefined ? { gateway, epoch } : { gateway, epoch, session }, 'the gateway hello');
}

/** A command for the node's controller; throws LinkMessageError when it cannot fit a frame. */
export function encodeCommand(id: number, command: Command): Uint8Array {
  return fitted([[MSG_COMMAND, id, command.name, command.args ?? {}]], `command '${command.name}'`);
}

/**
 * The wall time and the device's place (the lamp's sun schedule needs both). `wallMs` null: the
 * gateway's own clock is not trusted yet; the node takes the place and keeps waiting for the time.
 */
export function encodeSetup(wallMs: number | null, latitude: number, longitude: number): Uint8Array {
  return fitted([[MSG_SETUP, wallMs, latitude, longitude]], 'the setup message');
}

/** Asks the node to stop and hand its port to the Espruino REPL (`kerb flash` on a running node). */
export function encodeMaintenance(): Uint8Array {
  return fitted([[MSG_MAINTENANCE]], 'the maintenance request');
}
