/**
 * The uplink: sends what the outbox holds at QoS 1 through a bounded in-flight window, and
 * deletes a message only on the broker's acknowledgement. MQTT.js's own reconnect and offline
 * queue are switched off; connection state is ours, an explicit state machine, so the gateway
 * can say exactly what the link is doing and never lets an in-memory queue inside a library
 * grow without bound.
 *
 * MQTT 5 first (3.1.1 only for a broker that refuses 5): under 5 a broker that refuses a
 * publish says so in the PUBACK (0x87 when its ACL denies the topic), and the uplink logs it as
 * `uplink.publish-denied`. Over TLS (`tls`, see tls-options.ts) a failed connection is explained
 * (tls-errors.ts): which certificate, what is wrong with it, what to do. Renewed TLS files take
 * effect without a restart (`renewTls`, on SIGHUP), and the client certificate's end is checked
 * once a day, so a gateway running for years warns a month ahead rather than going quiet.
 */
import type { IClientOptions, MqttClient } from 'mqtt';
import type { Clock, TimerId } from '../../firmware/hal/clock.js';
import type { Logger } from '../log/logger.js';
import { Backoff } from './backoff.js';
import { connectWithPacketLimit } from './packet-size-guard.js';
import type { DropReason, MessageClass, MessageQueue } from './message-queue.js';
import { NOT_AUTHORIZED, reasonText } from './reason-codes.js';
import { type Subscription, Subscriptions } from './subscriptions.js';
import { explainConnectError } from './tls-errors.js';
import { isTlsUrl, tlsConnectOptions, type UplinkTls } from './tls-options.js';
import { TokenBucket } from './token-bucket.js';

export type LinkState = 'idle' | 'connecting' | 'online' | 'backoff' | 'stopped';

/** A connection that stayed up this long resets the backoff when it drops. */
const STABLE_LINK_MS = 30_000;
/** A message the broker refuses this often on live links is set aside (counted as a drop). */
const MAX_REFUSALS = 3;
/** How often messages past their age bound are dropped (and counted). */
const EXPIRE_EVERY_MS = 60_000;
/** mqtt-packet's parse errors ("Invalid header flag bits", "Malformed Remaining Length", ...). */
const MALFORMED_PACKET = /^(Invalid|Malformed|Unknown property|Not supported|Cannot parse|Packet too short|Packet must not)/;
/** A client certificate ending within this is warned about (at start, on renewal, then daily). */
const CERT_WARN_MS = 30 * 24 * 3_600_000;
const CERT_CHECK_EVERY_MS = 24 * 3_600_000;
/**
 * The largest packet the gateway takes from the broker. What it receives are signed commands (at
 * most 4 KiB) and acknowledgements; without a limit a client allowed to publish on its command
 * topic could make it buffer up to 256 MB. Announced as MQTT 5's Maximum Packet Size, so a
 * compliant broker drops a larger message for this gateway instead of sending it; a broker that
 * sends one anyway loses the connection at its header (packet-size-guard.ts).
 */
export const MAX_INCOMING_PACKET = 64 * 1024;

export interface UplinkOptions {
  url: string;
  clientId: string;
  clock: Clock;
  log: Logger;
  /** Retained status topic; its Last Will says 'offline'. */
  statusTopic: string;
  /** Retained message published on every connect. */
  onlineStatus: () => Buffer;
  /** Retained status for a clean stop and, built at each connect, the Last Will. */
  offlineStatus: () => Buffer;
  /** MQTT keepalive, seconds; default 30. A broker that stops answering is noticed after 1.5×. */
  keepaliveS?: number;
  /** Where messages wait for their acknowledgement: the spool, or an in-memory outbox. */
  queue: MessageQueue;
  /** Messages outstanding without an acknowledgement; default 16. */
  inflightWindow?: number;
  /** Sustained messages per second while draining a backlog; default 200. */
  drainRatePerS?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  connectTimeoutMs?: number;
  random?: () => number;
  /** Injectable for tests; defaults to mqtt.connect with the incoming packet size watched (packet-size-guard.ts). */
  connect?: (url: string, options: IClientOptions) => MqttClient;
  /**
   * TLS material from loadTls() (tls-options.ts); needs an mqtts:// (or wss://) URL. TLS 1.2+
   * and a verified broker certificate are not options.
   */
  tls?: UplinkTls;
  /**
   * Topics to receive (the downlink's commands), subscribed on every connect; see
   * subscriptions.ts. A subscription the broker refuses is logged as `uplink.subscribe-denied`.
   */
  subscriptions?: Subscription[];
}

export interface UplinkStats {
  state: LinkState;
  protocolVersion: 4 | 5;
  pending: number;
  inflight: number;
  queuedBytes: number;
  /** Wall ms of the oldest message waiting, undefined when none. */
  oldest: number | undefined;
  sent: number;
  bytesSent: number;
  reconnects: number;
  drops: Record<DropReason, number>;
  lastError: string;
  nextRetryInMs: number;
  /** Wall ms the client certificate ends; undefined without one. */
  certificateValidTo: number | undefined;
}

export class MqttUplink {
  private state: LinkState = 'idle';
  private client: MqttClient | undefined;
  /** A client ended because the broker sent what it could not parse. */
  private broken: MqttClient | undefined;
  private readonly outbox: MessageQueue;
  private readonly backoff: Backoff;
  private readonly bucket: TokenBucket;
  private pumpTimer: TimerId | undefined;
  private expireTimer: TimerId | undefined;
  private retryTimer: TimerId | undefined;
  private retryAt = 0;
  private protocolVersion: 4 | 5 = 5;
  private sent = 0;
  private bytesSent = 0;
  private reconnects = 0;
  private everConnected = false;
  /** Set when the next connect should not wait (protocol fallback). */
  private retryNow = false;
  private onlineSince = 0;
  private stopTimer: TimerId | undefined;
  private lastError = '';
  /** The connect failure last logged: logged again only when it changes or after a connect (uplink.retry repeats it each time). */
  private lastFailure = '';
  private readonly window: number;
  private readonly subscriptions: Subscriptions;
  /** The TLS material the next handshake presents (o.tls until renewTls). */
  private tls: UplinkTls | undefined;
  /** Wall ms of the last certificate check; undefined until the clock is trusted. */
  private certCheckedAt: number | undefined;

  constructor(private readonly o: UplinkOptions) {
    if (o.tls !== undefined && !isTlsUrl(o.url)) {
      throw new Error(`TLS files were given but the broker URL ${o.url} is not TLS: use mqtts://HOST:8883 (or wss://)`);
    }
    this.tls = o.tls;
    this.window = o.inflightWindow ?? 16;
    this.subscriptions = new Subscriptions(o.subscriptions ?? [], o.log);
    this.outbox = o.queue;
    this.bucket = new TokenBucket(o.clock, o.drainRatePerS ?? 200, this.window);
    this.backoff = new Backoff({ baseMs: o.backoffBaseMs ?? 500, capMs: o.backoffCapMs ?? 60_000, random: o.random ?? Math.random });
  }

  start(): void {
    if (this.state !== 'idle') return;
    this.expireTimer = this.o.clock.setInterval(() => {
      // Ages are wall time: while the clock is not trusted (a Pi without RTC before NTP) nothing
      // can be judged too old.
      if (this.o.clock.wallSynced()) this.guard('expire', () => this.outbox.expire(this.o.clock.wallTime()));
      this.checkCertificate(false);
    }, EXPIRE_EVERY_MS);
    this.logIdentity();
    this.connect();
  }

  /** Queues a message; false if it was refused (after stop(), or counted in drops). */
  send(topic: string, payload: Buffer, cls: MessageClass): boolean {
    if (this.state === 'stopped') return false;
    // A message stored before the clock is trusted gets no age (0): it is never expired by age.
    const created = this.o.clock.wallSynced() ? this.o.clock.wallTime() : 0;
    const accepted = this.guard('add', () => this.outbox.add(topic, payload, cls, created)) ?? false;
    this.pump();
    return accepted;
  }

  stats(): UplinkStats {
    return {
      state: this.state, protocolVersion: this.protocolVersion,
      pending: this.outbox.pendingCount(), inflight: this.outbox.inflightCount(), queuedBytes: this.outbox.totalBytes(),
      oldest: this.outbox.oldest(),
      sent: this.sent, bytesSent: this.bytesSent, reconnects: this.reconnects, drops: this.outbox.drops(),
      lastError: this.lastError, nextRetryInMs: this.state === 'backoff' ? Math.max(0, this.retryAt - this.o.clock.now()) : 0,
      certificateValidTo: this.tls?.identity?.validTo,
    };
  }

  /**
   * New TLS material (a renewed certificate or key, a new CA; loadTls read and checked it). A
   * link that is up keeps its session: the new files are what the next handshake presents. A
   * link that is down or still connecting tries again at once with them, so a gateway whose
   * expired certificate the broker refused is back as soon as the renewed one is in place.
   */
  renewTls(tls: UplinkTls): void {
    if (this.tls === undefined) throw new Error(`the uplink to ${this.o.url} was started without TLS; TLS files need a restart with an mqtts:// broker`);
    this.tls = tls;
    this.lastFailure = '';
    this.o.log.info('uplink.tls-renewed', {
      url: this.o.url, identity: tls.identity?.cn ?? 'none', validTo: tls.identity ? new Date(tls.identity.validTo).toISOString() : 'none',
      takesEffect: this.state === 'online' ? 'on the next connection (the link is up and stays up)' : this.state === 'connecting' || this.state === 'backoff' ? 'now: connecting again' : 'at start',
    });
    this.certCheckedAt = undefined;
    this.checkCertificate(true);
    if (this.state === 'connecting' && this.client !== undefined) {
      const old = this.client;
      this.client = undefined;
      old.removeAllListeners();
      old.on('error', () => {});
      old.end(true);
      this.connect();
    } else if (this.state === 'backoff') {
      if (this.retryTimer !== undefined) this.o.clock.clearTimer(this.retryTimer);
      this.retryTimer = undefined;
      this.connect();
    }
  }

  /** Republishes the retained status now (its content changed), if the link is up. */
  publishStatus(): void {
    if (this.state === 'online') this.client?.publish(this.o.statusTopic, this.o.onlineStatus(), { qos: 1, retain: true });
  }

  /** Resolves once nothing is pending or in flight, or after `timeoutMs` of real waiting. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.outbox.pendingCount() + this.outbox.inflightCount() > 0) {
      if (Date.now() > deadline || this.state === 'stopped') return false;
      await new Promise((r) => setTimeout(r, 10));
    }
    return true;
  }

  /** Publishes the offline status (a clean stop is not a lost gateway) and disconnects. */
  async stop(): Promise<void> {
    for (const t of [this.retryTimer, this.pumpTimer, this.expireTimer]) if (t !== undefined) this.o.clock.clearTimer(t);
    const client = this.client;
    const wasOnline = this.state === 'online';
    this.setState('stopped');
    if (client === undefined) return;
    if (wasOnline) {
      await new Promise<void>((resolve) => {
        client.publish(this.o.statusTopic, this.o.offlineStatus(), { qos: 1, retain: true }, () => resolve());
        this.stopTimer = this.o.clock.setTimeout(resolve, 1000);
      });
      if (this.stopTimer !== undefined) this.o.clock.clearTimer(this.stopTimer);
    }
    // What is in flight stays in the queue for the next start. A graceful end waits for
    // MQTT.js's own in-flight messages, which a broker that never acknowledges never settles:
    // give it a second, then cut.
    this.client = undefined;
    this.guard('requeue', () => this.outbox.requeueInflight());
    await new Promise<void>((resolve) => {
      const cut = setTimeout(() => client.end(true, {}, () => resolve()), 1000);
      client.end(false, {}, () => {
        clearTimeout(cut);
        resolve();
      });
    });
    client.removeAllListeners();
    client.on('error', () => {});
  }

  /**
   * Runs a queue operation; a failing store (a full disk, an I/O error) is logged and the
   * gateway runs on: the operation is retried by the next send, acknowledgement or timer.
   */
  private guard<T>(what: string, op: () => T): T | undefined {
    try {
      return op();
    } catch (err) {
      this.lastError = (err as Error).message;
      this.o.log.error('uplink.queue-failed', { operation: what, error: (err as Error).message });
      return undefined;
    }
  }

  private setState(next: LinkState): void {
    if (next === this.state) return;
    this.o.log.debug('uplink.state', { from: this.state, to: next });
    this.state = next;
  }

  /** Who this gateway is to the broker, and a warning when its certificate is about to end. */
  private logIdentity(): void {
    const id = this.tls?.identity;
    if (id === undefined) return;
    const validTo = new Date(id.validTo).toISOString();
    this.o.log.info('uplink.tls', { url: this.o.url, identity: id.cn, issuer: id.issuer, validTo, caFile: this.tls?.files.ca ?? 'system CAs' });
    this.checkCertificate(true);
  }

  /**
   * Warns when the client certificate has ended or ends within a month: when asked (start,
   * renewal), else once a day. Only on a trusted clock: a Pi before NTP thinks it is 1970.
   */
  private checkCertificate(now: boolean): void {
    const id = this.tls?.identity;
    if (id === undefined || !this.o.clock.wallSynced()) return;
    const wall = this.o.clock.wallTime();
    if (!now && this.certCheckedAt !== undefined && wall - this.certCheckedAt < CERT_CHECK_EVERY_MS) return;
    this.certCheckedAt = wall;
    const validTo = new Date(id.validTo).toISOString();
    const left = id.validTo - wall;
    if (left < 0) this.o.log.error('uplink.certificate-expired', { certFile: id.certFile, identity: id.cn, validTo, detail: 'the broker will refuse it: issue a new certificate, then reload the gateway (systemctl reload kerb-gateway)' });
    else if (left < CERT_WARN_MS) this.o.log.warn('uplink.certificate-expiring', { certFile: id.certFile, identity: id.cn, validTo, detail: 'issue a new certificate before then and reload the gateway (systemctl reload kerb-gateway)' });
  }

  private connect(): void {
    this.setState('connecting');
    const options: IClientOptions = {
      ...(this.tls ? tlsConnectOptions(this.tls) : {}),
      clientId: this.o.clientId,
      protocolVersion: this.protocolVersion,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: this.o.connectTimeoutMs ?? 10_000,
      queueQoSZero: false,
      keepalive: this.o.keepaliveS ?? 30,
      will: { topic: this.o.statusTopic, payload: this.o.offlineStatus(), qos: 1, retain: true },
      ...(this.protocolVersion === 5 ? { properties: { maximumPacketSize: MAX_INCOMING_PACKET } } : {}),
    };
    const tooLarge = (declaredBytes: number): void => {
      this.lastError = `the broker sent a packet of ${declaredBytes} bytes, over the ${MAX_INCOMING_PACKET} this gateway accepts; the connection was ended`;
      this.o.log.error('uplink.packet-too-large', { url: this.o.url, limit: MAX_INCOMING_PACKET, declaredBytes });
    };
    const client = this.o.connect ? this.o.connect(this.o.url, options) : connectWithPacketLimit(this.o.url, options, MAX_INCOMING_PACKET, tooLarge);
    this.client = client;
    client.on('connect', () => this.onConnect(client));
    client.on('error', (err: Error & { code?: unknown }) => this.onError(client, err));
    client.on('close', () => this.onClose(client));
  }

  private onConnect(client: MqttClient): void {
    // A client ended for a malformed packet can still report the CONNACK that came before it.
    if (client === this.broken) return;
    if (client !== this.client || this.state === 'stopped') return;
    if (this.everConnected) this.reconnects++;
    this.everConnected = true;
    this.onlineSince = this.o.clock.now();
    this.lastError = '';
    this.lastFailure = '';
    this.setState('online');
    this.o.log.info('uplink.online', { url: this.o.url, mqtt: this.protocolVersion === 5 ? '5' : '3.1.1', pending: this.outbox.pendingCount() });
    client.publish(this.o.statusTopic, this.o.onlineStatus(), { qos: 1, retain: true });
    this.subscriptions.attach(client);
    this.pump();
  }

  private onError(client: MqttClient, err: Error & { code?: unknown }): void {
    if (client !== this.client) return;
    if (MALFORMED_PACKET.test(err.message)) {
      // mqtt.js reports a packet it cannot parse and keeps the connection, which then reads
      // nothing until the keepalive gives up: end it now and reconnect to a clean stream.
      this.lastError = `the broker sent a malformed packet (${err.message})`;
      this.o.log.error('uplink.protocol-error', { url: this.o.url, error: err.message });
      this.broken = client;
      client.end(true);
      return;
    }
    // MQTT 3.1.1 brokers (aedes, older mosquitto setups) refuse a v5 CONNECT with return code 1.
    if (this.protocolVersion === 5 && (err.code === 1 || err.code === 132)) {
      this.protocolVersion = 4;
      this.o.log.info('uplink.fallback', { url: this.o.url, reason: 'broker does not speak MQTT 5; using 3.1.1' });
      this.retryNow = true;
    }
    const failure = explainConnectError(err, {
      url: this.o.url, beforeConnack: this.state === 'connecting',
      ...(this.tls ? { tls: this.tls } : {}),
      ...(this.o.clock.wallSynced() ? { now: this.o.clock.wallTime() } : {}),
    });
    this.lastError = failure.message;
    if (failure.kind !== 'other' && failure.message !== this.lastFailure) {
      this.lastFailure = failure.message;
      this.o.log.error('uplink.connect-refused', { url: this.o.url, kind: failure.kind, code: failure.code, error: failure.message });
    }
  }

  private onClose(client: MqttClient): void {
    if (client !== this.client) return;
    this.client = undefined;
    client.removeAllListeners();
    client.on('error', () => {});
    client.end(true);
    this.guard('requeue', () => this.outbox.requeueInflight());
    if (this.state === 'stopped') return;
    const fallback = this.retryNow;
    // A connection that held a while was healthy: start the backoff afresh. One that a broker
    // accepts and then drops at once keeps growing it, so a refusing broker is not hammered.
    if (this.state === 'online' && this.o.clock.now() - this.onlineSince >= STABLE_LINK_MS) this.backoff.reset();
    const delay = fallback ? 0 : this.backoff.next();
    this.retryNow = false;
    this.setState('backoff');
    this.retryAt = this.o.clock.now() + delay;
    if (!fallback) this.o.log.warn('uplink.retry', {
      url: this.o.url, error: this.lastError || 'connection closed', inMs: delay, attempt: this.backoff.attempts(),
      pending: this.outbox.pendingCount(),
    });
    this.retryTimer = this.o.clock.setTimeout(() => {
      this.retryTimer = undefined;
      if (this.state === 'backoff') this.connect();
    }, delay);
  }

  private pump(): void {
    const client = this.client;
    if (client === undefined || this.state !== 'online') return;
    // The window counts acknowledged messages whose deletion is not yet durable: a power cut
    // resends those too, and duplicates must stay within the window. Deletions are committed
    // once half the window is waiting for them, in one transaction rather than one per ack.
    if (this.outbox.outstanding() - this.outbox.inflightCount() >= Math.max(1, this.window / 2)) this.guard('settle', () => this.outbox.settle());
    while (this.outbox.outstanding() < this.window && this.outbox.pendingCount() > 0) {
      if (!this.bucket.take()) {
        if (this.pumpTimer === undefined) {
          this.pumpTimer = this.o.clock.setTimeout(() => {
            this.pumpTimer = undefined;
            this.pump();
          }, this.bucket.waitMs());
        }
        return;
      }
      const msg = this.guard('next', () => this.outbox.next());
      if (msg === undefined) return;
      client.publish(msg.topic, msg.payload, { qos: 1 }, (err) => {
        if (client !== this.client) return; // the link dropped; requeueInflight already took it back
        if (err) {
          this.lastError = err.message;
          // Only an MQTT 5 PUBACK with a failure reason code (>= 0x80) is the broker refusing
          // this message. Anything else ('Connection closed' when a keepalive runs out, ...) is
          // the link failing: the 'close' that follows puts the message back, uncounted.
          const code = (err as Error & { code?: unknown }).code;
          if (typeof code !== 'number' || code < 0x80) return;
          const reason = reasonText(code);
          this.lastError = `the broker refused a publish on ${msg.topic}: ${reason}`;
          this.o.log.warn('uplink.publish-denied', {
            topic: msg.topic, reason, bytes: msg.payload.length,
            ...(code === NOT_AUTHORIZED ? { detail: "the broker's ACL does not let this gateway publish on this topic" } : {}),
          });
          if (this.guard('refuse', () => this.outbox.refuse(msg.id, MAX_REFUSALS))) {
            this.o.log.error('uplink.message-refused', { topic: msg.topic, bytes: msg.payload.length, refusals: MAX_REFUSALS, reason, error: err.message });
            this.pump();
            return;
          }
          // Resent after a reconnect and its backoff, so a refusing broker is not looped on.
          // Deferred: this callback runs inside MQTT.js, which must not be ended from within.
          setImmediate(() => this.onClose(client));
          return;
        }
        this.guard('acknowledge', () => this.outbox.acknowledge(msg.id));
        this.sent++;
        this.bytesSent += msg.payload.length;
        this.pump();
      });
    }
  }
}
