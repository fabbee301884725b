/**
 * The gateway's downlink: signed commands from `kerb/v1/<site>/<gateway>/cmd/<device>` and
 * `.../cmd/corridor/<name>`, verified (verify.ts), carried out on the devices, and answered on
 * `.../cmd-result` (docs/commands.md). Every refusal is logged as `command.rejected` with its code
 * (never the signature or a key) and answered; answers to refusals of unverified messages are
 * rate limited, so a flood of garbage cannot fill the uplink's queue. Answers to verified
 * commands always go out.
 *
 * The service wires it in one call: `subscriptions()` goes to the uplink, `reply` to its send.
 * The site and the devices are read through functions, so a reload (new corridors, operators,
 * devices) takes effect on the next command.
 */
import type { Site } from '../../device-profiles/types.js';
import type { Clock } from '../../firmware/hal/clock.js';
import type { Logger } from '../log/logger.js';
import { TokenBucket } from '../uplink/token-bucket.js';
import { topicsFor, type Topics } from '../uplink/topics.js';
import { runCorridor, type CommandTarget } from './corridor.js';
import { CounterStore } from './counter-store.js';
import { targetName, type CommandEnvelope } from './envelope.js';
import { operatorKeys } from './operator-keys.js';
import type { CommandReply, Rejection } from './rejection.js';
import { MAX_AHEAD_MS, verifyCommand } from './verify.js';

export type { CommandTarget } from './corridor.js';

export interface CommandProcessorOptions {
  /** The site as loaded now (reloads change operators, corridors and devices). */
  site: () => Pick<Site, 'site' | 'gateway' | 'operators' | 'corridors'>;
  /** The devices as they run now: the current Gateway pipeline. */
  devices: () => CommandTarget;
  clock: Clock;
  /** The gateway's own data directory (gatewayDir(root, gateway)); the counter file lives there. */
  dir: string;
  log: Logger;
  /** Publishes a cmd-result payload (JSON). */
  reply: (payload: Buffer) => void;
  /** Expiry further ahead is refused; default 24 h. */
  maxAheadMs?: number;
  /** Answers to refusals of unverified messages: sustained per second and burst; default 1/s, 20. */
  rejectionReplies?: { ratePerS: number; burst: number };
}

export interface CommandStats {
  accepted: number;
  /** Refusals by code, the devices' own included. */
  rejected: Record<string, number>;
  /** Refusals not answered on cmd-result because of the rate limit (still logged and counted). */
  unanswered: number;
}

/** What an MQTT uplink subscribes for us (MqttUplink's `subscriptions` option). */
export interface CommandSubscription {
  topic: string;
  qos: 1;
  onMessage(topic: string, payload: Buffer): void;
}

export class CommandProcessor {
  readonly topics: Topics;
  readonly counters: CounterStore;
  private readonly replies: TokenBucket;
  private readonly s: CommandStats = { accepted: 0, rejected: {}, unanswered: 0 };

  constructor(private readonly o: CommandProcessorOptions) {
    const site = o.site();
    this.topics = topicsFor(site.site, site.gateway);
    this.counters = new CounterStore(o.dir);
    const rate = o.rejectionReplies ?? { ratePerS: 1, burst: 20 };
    this.replies = new TokenBucket(o.clock, rate.ratePerS, rate.burst);
    const broken = this.counters.problem();
    if (broken !== undefined) {
      o.log.error('command.counter-store-broken', { file: this.counters.file, reason: broken, consequence: 'every command is refused until the file is repaired (docs/commands.md)' });
    }
  }

  /** The topics to subscribe, each with its handler: pass to the uplink as they are. */
  subscriptions(): CommandSubscription[] {
    const onMessage = (topic: string, payload: Buffer): void => {
      this.handle(topic, payload);
    };
    return [
      { topic: `${this.topics.prefix}/cmd/+`, qos: 1, onMessage },
      { topic: `${this.topics.prefix}/cmd/corridor/+`, qos: 1, onMessage },
    ];
  }

  stats(): CommandStats {
    return { ...this.s, rejected: { ...this.s.rejected } };
  }

  /** One message off the command topics: verified, carried out, answered. Returns the answer. */
  handle(topic: string, payload: Buffer): CommandReply {
    const site = this.o.site();
    const verified = verifyCommand(payload, {
      site: site.site, gateway: site.gateway, keys: operatorKeys(site.operators), clock: this.o.clock,
      counters: this.counters, maxAheadMs: this.o.maxAheadMs ?? MAX_AHEAD_MS, topicTarget: this.topicTarget(topic),
    });
    if (!verified.ok) {
      const reply = this.refused(verified.rejection, { topic, bytes: payload.length, ...(verified.keyId ? { keyId: verified.keyId } : {}) },
        verified.counter, verified.target);
      if (this.replies.take()) this.send(reply);
      else this.s.unanswered++;
      return reply;
    }
    let reply: CommandReply;
    try {
      reply = this.carryOut(verified.envelope, site.corridors);
    } catch (err) {
      reply = { counter: verified.envelope.counter, target: targetName(verified.envelope.command), ok: false, code: 'E_CMD_FAILED', message: `the command failed on the gateway: ${(err as Error).message}` };
    }
    const fields = { operator: verified.operator, keyId: verified.envelope.keyId, name: verified.envelope.command.name, args: verified.envelope.command.args };
    if (reply.ok) {
      this.s.accepted++;
      this.o.log.info('command.accepted', { counter: reply.counter, target: reply.target, ...fields, code: reply.code, message: reply.message });
      this.send(reply);
      return reply;
    }
    // Verified but refused by the device (or unknown): its counter is spent all the same.
    const refused = this.refused({ code: reply.code, message: reply.message }, fields, reply.counter, reply.target);
    this.send(reply);
    return { ...refused, ...reply };
  }

  private carryOut(e: CommandEnvelope, corridors: Site['corridors']): CommandReply {
    const base = { counter: e.counter, target: targetName(e.command) };
    const cmd = { name: e.command.name, args: e.command.args };
    const devices = this.o.devices();
    if ('device' in e.command) {
      const r = devices.command(e.command.device, cmd);
      return { ...base, ok: r.ok, code: r.code, message: r.message };
    }
    const route = e.command.corridor;
    const lamps = Object.prototype.hasOwnProperty.call(corridors, route) ? corridors[route] : undefined;
    if (lamps === undefined) {
      const known = Object.keys(corridors);
      return { ...base, ok: false, code: 'E_CMD_CORRIDOR', message: `no corridor '${route}' in the site file; ${known.length ? `it has ${known.join(', ')}` : 'it has none'}` };
    }
    return { ...base, ...runCorridor(route, lamps, cmd, devices) };
  }

  private refused(r: Rejection, fields: Record<string, unknown>, counter?: number, target?: string): CommandReply {
    this.s.rejected[r.code] = (this.s.rejected[r.code] ?? 0) + 1;
    this.o.log.warn('command.rejected', {
      code: r.code, message: r.message, ...(r.field ? { field: r.field } : {}),
      ...(counter !== undefined ? { counter } : {}), ...(target !== undefined ? { target } : {}), ...fields,
    });
    return {
      ...(counter !== undefined ? { counter } : {}), ...(target !== undefined ? { target } : {}),
      ok: false, code: r.code, message: r.message, ...(r.last !== undefined ? { last: r.last } : {}),
    };
  }

  private send(reply: CommandReply): void {
    try {
      this.o.reply(Buffer.from(JSON.stringify(reply)));
    } catch (err) {
      this.o.log.error('command.reply-failed', { error: (err as Error).message, code: reply.code });
    }
  }

  /** 'lamp-01' for .../cmd/lamp-01, 'corridor:x' for .../cmd/corridor/x; a description of anything else. */
  private topicTarget(topic: string): string {
    const head = `${this.topics.prefix}/cmd/`;
    if (!topic.startsWith(head)) return `(not a command topic: ${topic.slice(0, 120)})`;
    const rest = topic.slice(head.length).split('/');
    if (rest.length === 1) return rest[0]!;
    if (rest.length === 2 && rest[0] === 'corridor') return `corridor:${rest[1]}`;
    return `(not a command topic: ${topic.slice(0, 120)})`;
  }
}
