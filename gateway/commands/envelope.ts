/**
 * The signed downlink command, format kerb-command/1: one UTF-8 JSON object of at most
 * MAX_ENVELOPE_BYTES (docs/commands.md):
 *
 *   { "v": 1, "site": "elm-street", "gateway": "gw-01", "counter": 42,
 *     "issued": "2026-06-21T21:10:00.000Z", "expires": "2026-06-21T21:20:00.000Z",
 *     "keyId": "<16 hex>",
 *     "command": { "device": "lamp-01" | "corridor": "school-route", "name": "override", "args": {...} },
 *     "signature": "<base64 of 64 bytes>" }
 *
 * The signature is ed25519 over the UTF-8 bytes of "kerb-command/1\n" + canonicalJson(the
 * object without `signature`). Fields beyond these are refused: what is signed is what is checked.
 */
import { sign, type KeyObject } from 'node:crypto';
import type { CommandArg } from '../../firmware/devices/types.js';
import { canonicalJson } from './canonical-json.js';
import { reject, type Rejection } from './rejection.js';

export const COMMAND_FORMAT = 'kerb-command/1';
/** Commands are small; anything larger is refused before it is parsed. */
export const MAX_ENVELOPE_BYTES = 4096;
const MAX_ARGS = 16;

export type CommandArgs = { [key: string]: CommandArg };

export type CommandBody =
  | { device: string; name: string; args: CommandArgs }
  | { corridor: string; name: string; args: CommandArgs };

/** Everything the signature covers. */
export interface UnsignedEnvelope {
  v: 1;
  site: string;
  gateway: string;
  counter: number;
  issued: string;
  expires: string;
  keyId: string;
  command: CommandBody;
}

export interface CommandEnvelope extends UnsignedEnvelope {
  signature: string;
}

/** The bytes the signature covers. */
export function signingPayload(envelope: UnsignedEnvelope): Buffer {
  const { v, site, gateway, counter, issued, expires, keyId, command } = envelope;
  return Buffer.from(`${COMMAND_FORMAT}\n${canonicalJson({ v, site, gateway, counter, issued, expires, keyId, command })}`, 'utf8');
}

export function signEnvelope(envelope: UnsignedEnvelope, privateKey: KeyObject): CommandEnvelope {
  return { ...envelope, signature: sign(null, signingPayload(envelope), privateKey).toString('base64') };
}

/** 'lamp-01' or 'corridor:school-route': how logs and replies name a command's target. */
export function targetName(command: CommandBody): string {
  return 'device' in command ? command.device : `corridor:${command.corridor}`;
}

const ID = /^[a-z0-9-]{1,64}$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const found = (v: unknown): string => (v === undefined ? 'it is missing' : `found ${JSON.stringify(v)?.slice(0, 40) ?? typeof v}`);

type Check = (v: unknown) => string | undefined;
const id: Check = (v) => (typeof v === 'string' && ID.test(v) ? undefined : "must be 1..64 of a-z, 0-9 and '-'");
const time: Check = (v) => (typeof v === 'string' && ISO.test(v) && !Number.isNaN(Date.parse(v)) ? undefined : 'must be an ISO UTC time like 2026-06-21T21:10:00.000Z');

const TOP: Record<keyof CommandEnvelope, Check> = {
  v: (v) => (v === 1 ? undefined : 'must be 1'),
  site: id,
  gateway: id,
  counter: (v) => (Number.isSafeInteger(v) && (v as number) >= 1 ? undefined : 'must be a whole number >= 1'),
  issued: time,
  expires: time,
  keyId: (v) => (typeof v === 'string' && /^[0-9a-f]{16}$/.test(v) ? undefined : 'must be 16 lowercase hex digits (the key id `kerb keygen` printed)'),
  command: (v) => (isObject(v) ? undefined : 'must be an object'),
  signature: (v) => (typeof v === 'string' && /^[A-Za-z0-9+/]{86}==$/.test(v) ? undefined : 'must be the base64 of a 64-byte ed25519 signature'),
};

function argProblem(v: unknown): string | undefined {
  if (typeof v === 'boolean') return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : 'must be a finite number';
  if (typeof v === 'string') return v.length <= 128 ? undefined : 'must be at most 128 characters';
  return 'must be a number, text or true/false';
}

/** Every way `command` is not a command body, as [field, message]. */
function bodyProblems(c: Record<string, unknown>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const hasDevice = c.device !== undefined;
  const hasCorridor = c.corridor !== undefined;
  if (hasDevice === hasCorridor) out.push(['command.device', `give exactly one of command.device and command.corridor; ${hasDevice ? 'found both' : 'found neither'}`]);
  for (const field of ['device', 'corridor'] as const) {
    const why = c[field] === undefined ? undefined : id(c[field]);
    if (why !== undefined) out.push([`command.${field}`, `${why}; ${found(c[field])}`]);
  }
  if (!(typeof c.name === 'string' && /^[a-z][a-z-]{0,31}$/.test(c.name))) out.push(['command.name', `must be a command name like override; ${found(c.name)}`]);
  if (!isObject(c.args)) {
    out.push(['command.args', `must be an object (may be empty); ${found(c.args)}`]);
  } else {
    const keys = Object.keys(c.args);
    if (keys.length > MAX_ARGS) out.push(['command.args', `must have at most ${MAX_ARGS} arguments; found ${keys.length}`]);
    for (const k of keys.slice(0, MAX_ARGS)) {
      if (!/^[A-Za-z][A-Za-z0-9]{0,31}$/.test(k)) out.push([`command.args.${k.slice(0, 32)}`, 'is not an argument name (letters and digits, 1..32)']);
      const why = argProblem(c.args[k]);
      if (why !== undefined) out.push([`command.args.${k.slice(0, 32)}`, `${why}; ${found(c.args[k])}`]);
    }
  }
  for (const k of Object.keys(c)) if (!['device', 'corridor', 'name', 'args'].includes(k)) out.push([`command.${k.slice(0, 32)}`, 'is not a command field']);
  return out;
}

/**
 * Bytes off the wire to an envelope whose every field has the right shape, or a rejection
 * E_CMD_MALFORMED naming the first bad field (the message lists them all). Nothing is verified
 * here: not the signature, not the time, not the counter.
 */
export function parseEnvelope(payload: Buffer): { ok: true; envelope: CommandEnvelope } | { ok: false; rejection: Rejection; partial: Record<string, unknown> } {
  const malformed = (field: string, message: string, partial: Record<string, unknown> = {}) =>
    ({ ok: false as const, rejection: reject('E_CMD_MALFORMED', message, field), partial });
  if (payload.length > MAX_ENVELOPE_BYTES) return malformed('(message)', `a command is at most ${MAX_ENVELOPE_BYTES} bytes; this one has ${payload.length}`);
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    return malformed('(message)', `not JSON (${(err as Error).message.slice(0, 80)}); expected a ${COMMAND_FORMAT} envelope`);
  }
  if (!isObject(value)) return malformed('(message)', `must be a JSON object (a ${COMMAND_FORMAT} envelope); found ${found(value)}`);
  const problems: Array<[string, string]> = [];
  for (const [field, check] of Object.entries(TOP)) {
    const why = check(value[field]);
    if (why !== undefined) problems.push([field, `${why}; ${found(value[field])}`]);
  }
  for (const k of Object.keys(value)) if (!Object.hasOwn(TOP, k)) problems.push([k.slice(0, 32), `is not a ${COMMAND_FORMAT} field`]);
  if (isObject(value.command)) problems.push(...bodyProblems(value.command));
  if (problems.length === 0 && Date.parse(value.issued as string) > Date.parse(value.expires as string)) problems.push(['issued', `must not be after expires (${String(value.expires)}); found ${String(value.issued)}`]);
  if (problems.length > 0) {
    return malformed(problems[0]![0], `not a valid ${COMMAND_FORMAT} envelope: ${problems.map(([f, m]) => `${f} ${m}`).join('; ')}`, value);
  }
  return { ok: true, envelope: value as unknown as CommandEnvelope };
}
