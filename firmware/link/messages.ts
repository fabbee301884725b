/**
 * What the two ends say over the link, as CBOR payloads (docs/serial-link.md).
 * Node to gateway:
 *   hello:   { id, kind, fw, profile, boot, mode }                 (a map: rare, and read by people)
 *   data:    [ item ... ] with items
 *            [1, metric, value, ageMs]                  a reading
 *            [2, name, severity, value, ageMs, detail?] an event
 *            [3, { key: value ... }]                    the controller's state when it changed (a large
 *                                                       one in parts, merged by the gateway)
 *            [4, commandId, code, message?]             the answer to a command
 * Gateway to node:
 *   hello:   { gateway, epoch }
 *   data:    [ item ... ] with items
 *            [5, commandId, name, { arg: value ... }]   a command for the controller
 *            [6, wallMs | null, latitude, longitude]    the time (null: not known yet) and the place
 *            [7]                                        maintenance: hand the port back to the REPL
 * `ageMs` is how long before sending the reading was taken: the node's clock and the gateway's
 * never need to agree, the gateway subtracts the age from the time it received the frame.
 */
import type { Command, CommandArg, CommandResult, Output, StateValue } from '../devices/types.js';
import { decodeCbor, type CborValue } from './cbor-reader.js';
import { CborWriter } from './cbor-writer.js';
import { MAX_PAYLOAD } from './frame.js';

export const MSG_READING = 1;
export const MSG_EVENT = 2;
export const MSG_STATE = 3;
export const MSG_RESULT = 4;
export const MSG_COMMAND = 5;
export const MSG_SETUP = 6;
export const MSG_MAINTENANCE = 7;

export const SEVERITY_CODES = ['info', 'alert', 'fault'];

/** 'safe': the node is in safe mode after repeated failed boots (only the link and a lamp's
 * fail-safe level run). */
export type NodeMode = 'run' | 'safe';

export interface Hello {
  id: string;
  kind: string;
  fw: string;
  profile: string;
  boot: number;
  mode: NodeMode;
}

export function encodeHello(writer: CborWriter, hello: Hello): Uint8Array | undefined {
  writer.reset();
  writer.mapHeader(6);
  writer.text('id');
  writer.text(hello.id);
  writer.text('kind');
  writer.text(hello.kind);
  writer.text('fw');
  writer.text(hello.fw);
  writer.text('profile');
  writer.text(hello.profile);
  writer.text('boot');
  writer.number(hello.boot);
  writer.text('mode');
  writer.text(hello.mode);
  return writer.ok() && writer.bytes().length <= MAX_PAYLOAD ? writer.bytes() : undefined;
}

function writeOutput(writer: CborWriter, out: Output, now: number): void {
  const age = Math.max(0, Math.round(now - out.time));
  if (out.type === 'reading') {
    writer.arrayHeader(4);
    writer.number(MSG_READING);
    writer.text(out.metric);
    writer.number(out.value);
    writer.number(age);
    return;
  }
  const hasDetail = out.detail.length > 0;
  writer.arrayHeader(hasDetail ? 6 : 5);
  writer.number(MSG_EVENT);
  writer.text(out.name);
  writer.number(SEVERITY_CODES.indexOf(out.severity));
  writer.number(out.value);
  writer.number(age);
  if (hasDetail) writer.text(out.detail);
}

/**
 * Packs as many of `outputs` (from `from`, at most 23 so the array head is one byte) as fit one
 * frame into `writer`; returns how many it took. Two passes: sizes first (in `scratch`), then
 * the frame. 0 means even one does not fit: a bug (a detail string too long) for the caller.
 */
export function encodeOutputs(writer: CborWriter, scratch: CborWriter, outputs: Output[], from: number, now: number): number {
  let size = 1;
  let n = 0;
  while (from + n < outputs.length && n < 23) {
    scratch.reset();
    writeOutput(scratch, outputs[from + n], now);
    if (!scratch.ok() || size + scratch.bytes().length > MAX_PAYLOAD) break;
    size += scratch.bytes().length;
    n++;
  }
  writer.reset();
  if (n === 0) return 0;
  writer.arrayHeader(n);
  for (let i = 0; i < n; i++) writeOutput(writer, outputs[from + i], now);
  return n;
}

/**
 * Packs as many of the state's `keys` (from `from`) as fit one frame, as `[[3, {key: value ...}]]`;
 * returns how many it took (0: one key and value alone do not fit, a bug in the controller). A
 * state larger than a frame goes in several; the gateway merges them.
 */
export function encodeState(writer: CborWriter, scratch: CborWriter, state: { [key: string]: StateValue }, keys: string[], from: number): number {
  let size = 4; // array(1), array(2), 3, map head (one byte: at most 23 keys)
  let n = 0;
  while (from + n < keys.length && n < 23) {
    scratch.reset();
    scratch.text(keys[from + n]);
    scratch.value(state[keys[from + n]]);
    if (!scratch.ok() || size + scratch.bytes().length > MAX_PAYLOAD) break;
    size += scratch.bytes().length;
    n++;
  }
  writer.reset();
  if (n === 0) return 0;
  writer.arrayHeader(1);
  writer.arrayHeader(2);
  writer.number(MSG_STATE);
  writer.mapHeader(n);
  for (let i = from; i < from + n; i++) {
    writer.text(keys[i]);
    writer.value(state[keys[i]]);
  }
  return n;
}

/**
 * One data payload answering command `id`. The message is cut to keep the frame in bounds; if
 * even the cut one does not fit (long non-ASCII text), the answer goes without it.
 */
export function encodeResult(writer: CborWriter, id: number, result: CommandResult): Uint8Array {
  const message = result.message.length > 120 ? result.message.substring(0, 120) : result.message;
  for (let attempt = 0; attempt < 2; attempt++) {
    writer.reset();
    writer.arrayHeader(1);
    writer.arrayHeader(attempt === 0 ? 4 : 3);
    writer.number(MSG_RESULT);
    writer.number(id);
    writer.text(result.code.length > 32 ? result.code.substring(0, 32) : result.code);
    if (attempt === 0) writer.text(message);
    if (writer.ok() && writer.bytes().length <= MAX_PAYLOAD) break;
  }
  return writer.bytes();
}

export interface CommandMessage {
  type: 'command';
  id: number;
  command: Command;
}

export interface SetupMessage {
  type: 'setup';
  /** Undefined when the gateway's own clock is not trusted yet (no NTP): the place still counts. */
  wallMs: number | undefined;
  latitude: number;
  longitude: number;
}

/** `kerb flash` asks a running node to stop and give its port back to the Espruino REPL. */
export interface MaintenanceMessage {
  type: 'maintenance';
}

export type GatewayMessage = CommandMessage | SetupMessage | MaintenanceMessage;

function isFiniteNumber(v: CborValue): boolean {
  return typeof v === 'number' && isFinite(v);
}

function readItem(item: CborValue, at: string): GatewayMessage | string {
  if (!Array.isArray(item) || item.length === 0) return at + ': expected an array';
  if (item[0] === MSG_COMMAND) {
    const id = item[1];
    const name = item[2];
    const args = item.length > 3 ? item[3] : {};
    if (item.length < 3 || item.length > 4) return at + ': a command has 3 or 4 items';
    if (typeof id !== 'number' || id % 1 !== 0 || id < 0 || id > 65535) return at + '[1]: expected a command id 0..65535';
    if (typeof name !== 'string' || name.length === 0) return at + '[2]: expected a command name';
    if (args === null || typeof args !== 'object' || Array.isArray(args)) return at + '[3]: expected a map of arguments';
    const argMap: { [key: string]: CommandArg } = {};
    const keys = Object.keys(args);
    for (let i = 0; i < keys.length; i++) {
      const v = (args as { [key: string]: CborValue })[keys[i]];
      if (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') return at + '[3].' + keys[i] + ': expected a number, text or boolean';
      argMap[keys[i]] = v;
    }
    return { type: 'command', id: id, command: { name: name, args: argMap } };
  }
  if (item[0] === MSG_SETUP) {
    if (item.length !== 4) return at + ': a setup has 4 items';
    if (item[1] !== null && (!isFiniteNumber(item[1]) || (item[1] as number) < 0)) return at + '[1]: expected a wall time in ms, or null';
    if (!isFiniteNumber(item[2]) || Math.abs(item[2] as number) > 90) return at + '[2]: expected a latitude';
    if (!isFiniteNumber(item[3]) || Math.abs(item[3] as number) > 180) return at + '[3]: expected a longitude';
    return { type: 'setup', wallMs: item[1] === null ? undefined : item[1] as number, latitude: item[2] as number, longitude: item[3] as number };
  }
  if (item[0] === MSG_MAINTENANCE) {
    if (item.length !== 1) return at + ': a maintenance request has 1 item';
    return { type: 'maintenance' };
  }
  // Not String(item[0]): a map with its own `toString` key would make it throw.
  const found = item[0] !== null && typeof item[0] === 'object' ? (Array.isArray(item[0]) ? 'an array' : 'a map') : String(item[0]);
  return at + '[0]: unknown message type ' + found;
}

/**
 * Reads a data payload from the gateway into `into`; returns '' or what was wrong. A bad item
 * refuses the whole payload, so a command is never half-applied.
 */
export function readGatewayPayload(bytes: Uint8Array, into: GatewayMessage[]): string {
  const decoded = decodeCbor(bytes);
  if (decoded.error !== '') return 'not CBOR the node reads: ' + decoded.error;
  const items = decoded.value;
  if (!Array.isArray(items)) return 'expected an array of messages';
  const start = into.length;
  for (let i = 0; i < items.length; i++) {
    const m = readItem(items[i], '[' + i + ']');
    if (typeof m === 'string') {
      into.length = start;
      return m;
    }
    into.push(m);
  }
  return '';
}
