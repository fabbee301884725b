/**
 * Kerb has no MQTT parser of its own: MQTT.js (mqtt-packet) reads what the broker sends. What
 * Kerb owns is the uplink's handling of it, so a broker that sends a malformed packet (an
 * oversized remaining length, a length it never delivers, reserved types and flags, garbage)
 * must cost a reconnect, never the gateway: no uncaught exception, and the uplink connects again.
 */
import net from 'node:net';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SystemClock } from '../../gateway/clock/system-clock.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { MAX_INCOMING_PACKET, MqttUplink } from '../../gateway/uplink/mqtt-uplink.js';
import { Outbox } from '../../gateway/uplink/outbox.js';
import { waitFor } from '../harness/wait-for.js';

interface HostileBroker {
  url: string;
  /** Sessions that got as far as a successful CONNACK (and then the hostile bytes). */
  sessions(): number;
  close(): Promise<void>;
}

/** Answers CONNECT (refusing MQTT 5 like a 3.1.1 broker), then sends `hostile` and nothing else. */
async function hostileBroker(hostile: Buffer): Promise<HostileBroker> {
  let sessions = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.once('data', (chunk) => {
      if (chunk[0]! >> 4 !== 1) return socket.destroy();
      // CONNECT: fixed header, remaining length (one byte for a small CONNECT), 'MQTT' name, level.
      const level = chunk[2 + 2 + chunk.readUInt16BE(2)];
      if (level === 5) return socket.end(Buffer.from([0x20, 0x03, 0x00, 0x84, 0x00])); // unsupported protocol version
      sessions++;
      socket.write(Buffer.from([0x20, 0x02, 0x00, 0x00]));
      socket.write(hostile);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    sessions: () => sessions,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** Exceptions nothing caught while the scenarios ran (one listener for all of them). */
const uncaught: unknown[] = [];

async function survivesAndReconnects(hostile: Buffer, what: string): Promise<void> {
  const broker = await hostileBroker(hostile);
  const { log } = memoryLogger();
  const up = new MqttUplink({
    url: broker.url, clientId: 'gw-fuzz', clock: new SystemClock(), log, statusTopic: 'kerb/v1/s/g/status', queue: new Outbox(),
    onlineStatus: () => Buffer.from('on'), offlineStatus: () => Buffer.from('off'), keepaliveS: 1, backoffBaseMs: 10, backoffCapMs: 50, connectTimeoutMs: 1000,
  });
  try {
    up.start();
    up.send('kerb/v1/s/g/batch', Buffer.from('x'), 'telemetry');
    await waitFor(() => broker.sessions() >= 2, `a second session after ${what}`, 10_000);
    assert.equal(uncaught, [], `no uncaught exception after ${what}`);
    assert.is.not(up.stats().state, 'stopped');
  } finally {
    await up.stop();
    await broker.close();
  }
}

const MALFORMED: Array<[string, Buffer]> = [
  ['a remaining length of five bytes (beyond the 4 MQTT allows)', Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x7f])],
  ['a remaining length of 268,435,455 that never arrives', Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f, 0x00, 0x01, 0x61])],
  ['a reserved packet type 0', Buffer.from([0x00, 0x00])],
  ['reserved flags on a SUBACK', Buffer.from([0x9f, 0x03, 0x00, 0x01, 0x00])],
  ['a PUBLISH with both QoS bits set', Buffer.from([0x36, 0x05, 0x00, 0x01, 0x74, 0x00, 0x01])],
  ['a PUBLISH whose topic length runs past the packet', Buffer.from([0x30, 0x03, 0xff, 0xff, 0x61])],
  ['a second CONNACK with a refusal', Buffer.from([0x20, 0x02, 0x00, 0x05])],
];

test('the uplink reconnects, without crashing, after a broker sends any of these malformed packets or random bytes', async () => {
  const random = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 64 }), { numRuns: 5, seed: 20260621 })
    .map((b): [string, Buffer] => [`random bytes ${Buffer.from(b).toString('hex')}`, Buffer.from(b)]);
  const onUncaught = (err: unknown): void => void uncaught.push(err);
  process.on('uncaughtException', onUncaught);
  try {
    // Some end at once (the uplink drops a link on a parse error), others wait out a keepalive.
    await Promise.all(MALFORMED.concat(random).map(([what, bytes]) => survivesAndReconnects(bytes, what)));
  } finally {
    process.off('uncaughtException', onUncaught);
  }
});

test('a packet the client cannot parse ends the link at once and is logged, rather than waiting for the keepalive', async () => {
  const broker = await hostileBroker(Buffer.from([0x9f, 0x03, 0x00, 0x01, 0x00])); // reserved flags on a SUBACK
  const { log, records } = memoryLogger();
  const up = new MqttUplink({
    url: broker.url, clientId: 'gw-fuzz', clock: new SystemClock(), log, statusTopic: 'kerb/v1/s/g/status', queue: new Outbox(),
    onlineStatus: () => Buffer.from('on'), offlineStatus: () => Buffer.from('off'), keepaliveS: 60, backoffBaseMs: 10, backoffCapMs: 50, connectTimeoutMs: 1000,
  });
  try {
    up.start();
    await waitFor(() => broker.sessions() >= 2, 'a second session well before a 60 s keepalive', 5_000);
    assert.ok(records.some((r) => r.event === 'uplink.protocol-error'), JSON.stringify(records.map((r) => r.event)));
  } finally {
    await up.stop();
    await broker.close();
  }
});

test('a packet declared larger than the gateway takes ends the link at its header, body or not, and is logged', async () => {
  // 1 + 4 + 268,435,455 bytes declared, ten delivered: MQTT.js alone would wait to buffer them all.
  const broker = await hostileBroker(Buffer.concat([Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f]), Buffer.alloc(10, 0x61)]));
  const { log, records } = memoryLogger();
  const up = new MqttUplink({
    url: broker.url, clientId: 'gw-fuzz', clock: new SystemClock(), log, statusTopic: 'kerb/v1/s/g/status', queue: new Outbox(),
    onlineStatus: () => Buffer.from('on'), offlineStatus: () => Buffer.from('off'), keepaliveS: 60, backoffBaseMs: 10, backoffCapMs: 50, connectTimeoutMs: 1000,
  });
  try {
    up.start();
    await waitFor(() => broker.sessions() >= 2, 'a second session well before a 60 s keepalive', 5_000);
    const logged = records.find((r) => r.event === 'uplink.packet-too-large');
    assert.ok(logged, JSON.stringify(records.map((r) => r.event)));
    assert.is(logged!.declaredBytes, 268_435_460);
    assert.is(logged!.limit, MAX_INCOMING_PACKET);
  } finally {
    await up.stop();
    await broker.close();
  }
});

test.run();
