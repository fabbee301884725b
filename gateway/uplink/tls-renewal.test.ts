/**
 * A renewed TLS certificate on a gateway that runs for years: the uplink takes it without a
 * restart (at once when the link is down, at the next connection when it is up), and warns
 * about a certificate's end a month ahead, once a day, also when the clock became trusted late.
 * Scripted MQTT client on the virtual clock; the real broker path is hil-tests/tls/.
 */
import { EventEmitter } from 'node:events';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { IClientOptions, MqttClient } from 'mqtt';
import { memoryLogger } from '../log/logger.js';
import { VirtualClock } from '../../hil-tests/harness/virtual-clock.js';
import { MqttUplink } from './mqtt-uplink.js';
import { Outbox } from './outbox.js';
import type { UplinkTls } from './tls-options.js';

const DAY = 24 * 3_600_000;
const START = Date.UTC(2026, 5, 21);

class ScriptedClient extends EventEmitter {
  ended = false;
  constructor(readonly options: IClientOptions) {
    super();
  }
  publish(_topic: string, _payload: Buffer, _opts: unknown, cb?: (err?: Error) => void): this {
    cb?.();
    return this;
  }
  subscribe(): this {
    return this;
  }
  end(_force?: boolean, _opts?: unknown, cb?: () => void): this {
    this.ended = true;
    cb?.();
    return this;
  }
}

/** TLS material as loadTls gives it; `name` stands for the certificate's bytes. */
function material(name: string, validTo: number): UplinkTls {
  return {
    files: { ca: '/etc/kerb/tls/ca.crt', cert: '/etc/kerb/tls/gw-a.crt', key: '/etc/kerb/tls/gw-a.key' },
    ca: Buffer.from('ca'), cert: Buffer.from(name), key: Buffer.from(`${name}-key`),
    identity: { cn: 'gw-a', issuer: 'Kerb lab CA', validFrom: START - DAY, validTo, certFile: '/etc/kerb/tls/gw-a.crt' },
  };
}

/** `answer` decides what the broker does with each connection attempt. */
function setup(tls: UplinkTls, answer: (c: ScriptedClient) => void, clock = new VirtualClock({ startWall: START })) {
  const clients: ScriptedClient[] = [];
  const { log, records } = memoryLogger();
  const up = new MqttUplink({
    url: 'mqtts://broker.test:8883', clientId: 'gw-a', clock, log, statusTopic: 'status', queue: new Outbox(),
    onlineStatus: () => Buffer.from('on'), offlineStatus: () => Buffer.from('off'), random: () => 0.5,
    backoffBaseMs: 30_000, backoffCapMs: 60_000, tls,
    connect: (_url, options) => {
      const c = new ScriptedClient(options);
      clients.push(c);
      clock.setTimeout(() => answer(c), 0);
      return c as unknown as MqttClient;
    },
  });
  return { clock, clients, up, records };
}

/** The broker refuses an expired certificate during the handshake, as tls-uplink.test.ts sees it. */
function refuseExpired(c: ScriptedClient): void {
  if (String(c.options.cert) === 'renewed') {
    c.emit('connect');
    return;
  }
  c.emit('error', Object.assign(new Error('certificate expired'), { code: 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED' }));
  c.emit('close');
}

test('a renewed certificate brings a refused gateway back at once, not after its backoff', () => {
  const { clock, clients, up, records } = setup(material('expired', START - DAY), refuseExpired);
  up.start();
  clock.runDue();
  assert.is(up.stats().state, 'backoff');
  assert.ok(up.stats().nextRetryInMs > 10_000, 'waiting out a backoff');
  const attempts = clients.length;

  up.renewTls(material('renewed', START + 365 * DAY));
  assert.is(clients.length, attempts + 1, 'connected again without waiting');
  assert.is(String(clients[clients.length - 1]!.options.cert), 'renewed', 'with the new certificate');
  clock.runDue();
  assert.is(up.stats().state, 'online');
  assert.is(up.stats().certificateValidTo, START + 365 * DAY);
  const renewed = records.find((r) => r.event === 'uplink.tls-renewed');
  assert.ok(renewed, 'the renewal is logged');
  assert.is(renewed!.identity, 'gw-a');
  assert.is(renewed!.validTo, new Date(START + 365 * DAY).toISOString());
  assert.match(String(renewed!.takesEffect), /^now/);
});

test('a renewal while a handshake is under way abandons it and starts again with the new files', () => {
  const { clock, clients, up } = setup(material('old', START + 10 * DAY), () => {}); // the broker never answers
  up.start();
  clock.runDue();
  assert.is(up.stats().state, 'connecting');
  const first = clients[0]!;
  up.renewTls(material('renewed', START + 365 * DAY));
  assert.ok(first.ended, 'the old handshake is ended');
  assert.is(clients.length, 2);
  assert.is(String(clients[1]!.options.cert), 'renewed');
  first.emit('close'); // late events from the old client change nothing
  assert.is(up.stats().state, 'connecting');
});

test('a link that is up stays up on renewal; the next connection presents the new certificate', () => {
  const { clock, clients, up, records } = setup(material('old', START + 10 * DAY), (c) => c.emit('connect'));
  up.start();
  clock.runDue();
  assert.is(up.stats().state, 'online');
  up.renewTls(material('renewed', START + 365 * DAY));
  assert.is(clients.length, 1, 'no reconnect');
  assert.is(up.stats().state, 'online');
  assert.match(String(records.find((r) => r.event === 'uplink.tls-renewed')!.takesEffect), /next connection/);
  clients[0]!.emit('close');
  clock.advance(60_000);
  assert.is(clients.length, 2);
  assert.is(String(clients[1]!.options.cert), 'renewed');
});

test("a certificate's end is warned about a month ahead, then once a day, not every minute", () => {
  const { clock, up, records } = setup(material('cert', START + 35 * DAY), (c) => c.emit('connect'));
  up.start();
  const expiring = () => records.filter((r) => r.event === 'uplink.certificate-expiring').length;
  assert.is(expiring(), 0, '35 days left: nothing to say yet');
  clock.advance(5 * DAY); // 30 days left after the fifth daily check
  assert.is(expiring(), 0);
  clock.advance(DAY);
  assert.is(expiring(), 1, 'the first daily check under 30 days warns');
  clock.advance(3 * DAY);
  assert.is(expiring(), 4, 'once a day');
  const w = records.find((r) => r.event === 'uplink.certificate-expiring')!;
  assert.is(w.certFile, '/etc/kerb/tls/gw-a.crt');
  assert.match(String(w.detail), /systemctl reload kerb-gateway/);
  clock.advance(27 * DAY);
  assert.ok(records.some((r) => r.event === 'uplink.certificate-expired'), 'and says when it has ended');
});

test('a gateway that boots without a trusted clock checks its certificate once NTP sets it', () => {
  const clock = new VirtualClock({ startWall: 0, synced: false });
  const { up, records } = setup(material('cert', START + 3 * DAY), (c) => c.emit('connect'), clock);
  up.start();
  clock.advance(10 * 60_000);
  assert.not.ok(records.some((r) => r.event === 'uplink.certificate-expiring'), 'in 1970 nothing can be judged');
  clock.setWall(START);
  clock.advance(60_000);
  assert.is(records.filter((r) => r.event === 'uplink.certificate-expiring').length, 1, 'judged within a minute of NTP');
});

test('renewing TLS on an uplink started without it is refused: that needs a restart', () => {
  const { log } = memoryLogger();
  const up = new MqttUplink({
    url: 'mqtt://broker.test', clientId: 'gw', clock: new VirtualClock(), log, statusTopic: 'status', queue: new Outbox(),
    onlineStatus: () => Buffer.from('on'), offlineStatus: () => Buffer.from('off'),
  });
  assert.throws(() => up.renewTls(material('x', START)), /started without TLS/);
});

test.run();
