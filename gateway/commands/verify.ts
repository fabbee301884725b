/**
 * The checks a downlink command passes before it may act, in this order (docs/commands.md):
 * size and shape, topic, site and gateway, key, signature, trusted clock, expiry, counter store,
 * counter. Cheap checks on untrusted bytes come first and no check that costs state (the
 * counter) runs before the signature is good, so a flood of garbage cannot burn counters.
 * A command that passes has its counter saved before it runs: even if the device then refuses
 * it, it was really sent by the operator and cannot be sent again.
 */
import { verify } from 'node:crypto';
import type { Clock } from '../../firmware/hal/clock.js';
import { CounterStoreError, type CounterStore } from './counter-store.js';
import { parseEnvelope, signingPayload, targetName, type CommandEnvelope } from './envelope.js';
import type { OperatorKey } from './operator-keys.js';
import { reject, type Rejection } from './rejection.js';

/** Expiry further ahead than this is refused: a leaked command must not stay valid for long. */
export const MAX_AHEAD_MS = 24 * 3600_000;

export interface VerifyContext {
  site: string;
  gateway: string;
  keys: Map<string, OperatorKey>;
  clock: Clock;
  counters: CounterStore;
  /** The target the topic names ('lamp-01', 'corridor:route'); undefined: not checked. */
  topicTarget?: string;
  maxAheadMs?: number;
}

export type Verified =
  | { ok: true; envelope: CommandEnvelope; operator: string }
  | { ok: false; rejection: Rejection; counter?: number; target?: string; keyId?: string };

export function verifyCommand(payload: Buffer, ctx: VerifyContext): Verified {
  const parsed = parseEnvelope(payload);
  if (!parsed.ok) {
    const p = parsed.partial;
    const command = p.command as Record<string, unknown> | undefined;
    const target = typeof command?.device === 'string' ? command.device : typeof command?.corridor === 'string' ? `corridor:${command.corridor}` : undefined;
    return {
      ok: false, rejection: parsed.rejection,
      ...(Number.isSafeInteger(p.counter) ? { counter: p.counter as number } : {}),
      ...(target !== undefined ? { target: target.slice(0, 80) } : {}),
    };
  }
  const e = parsed.envelope;
  const fail = (rejection: Rejection): Verified => ({ ok: false, rejection, counter: e.counter, target: targetName(e.command), keyId: e.keyId });
  const target = targetName(e.command);
  if (ctx.topicTarget !== undefined && ctx.topicTarget !== target) {
    return fail(reject('E_CMD_TOPIC', `the command is for ${target} but was published for ${ctx.topicTarget}`, 'command'));
  }
  if (e.site !== ctx.site || e.gateway !== ctx.gateway) {
    const field = e.site !== ctx.site ? 'site' : 'gateway';
    return fail(reject('E_CMD_GATEWAY', `signed for ${e.site}/${e.gateway}; this is ${ctx.site}/${ctx.gateway}`, field));
  }
  const key = ctx.keys.get(e.keyId);
  if (key === undefined) {
    return fail(reject('E_CMD_KEY', `keyId ${e.keyId} is not an operator of this site (${ctx.keys.size} listed in the site file's operators)`, 'keyId'));
  }
  if (!verify(null, signingPayload(e), key.key, Buffer.from(e.signature, 'base64'))) {
    return fail(reject('E_CMD_SIGNATURE', `the signature does not verify with operator ${key.operator}'s key ${e.keyId}: the command was changed after signing or signed with another key`, 'signature'));
  }
  if (!ctx.clock.wallSynced()) {
    return fail(reject('E_CMD_CLOCK', 'the gateway\'s wall clock is not trusted yet (no NTP, no RTC): it cannot tell whether the command has expired; try again once it is', 'expires'));
  }
  const now = ctx.clock.wallTime();
  const expires = Date.parse(e.expires);
  if (expires <= now) {
    return fail(reject('E_CMD_EXPIRED', `expires ${e.expires} is past; the gateway's time is ${new Date(now).toISOString()}`, 'expires'));
  }
  const ahead = ctx.maxAheadMs ?? MAX_AHEAD_MS;
  if (expires > now + ahead) {
    return fail(reject('E_CMD_EXPIRES_TOO_LATE', `expires ${e.expires} is more than ${ahead / 3600_000} h after the gateway's time ${new Date(now).toISOString()}`, 'expires'));
  }
  const broken = ctx.counters.problem();
  if (broken !== undefined) return fail(reject('E_CMD_COUNTER_STORE', `commands are refused until the counter file is repaired: ${broken}`, 'counter'));
  const last = ctx.counters.last(e.keyId);
  if (e.counter <= last) {
    return fail({ ...reject('E_CMD_REPLAY', `counter ${e.counter} is not above ${last}, the last accepted from key ${e.keyId}: a replay, or sign again with counter ${last + 1} or more`, 'counter'), last });
  }
  try {
    ctx.counters.advance(e.keyId, e.counter);
  } catch (err) {
    if (!(err instanceof CounterStoreError)) throw err;
    return fail(reject('E_CMD_COUNTER_STORE', err.message, 'counter'));
  }
  return { ok: true, envelope: e, operator: key.operator };
}
