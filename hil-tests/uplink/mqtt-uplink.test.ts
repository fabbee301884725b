/**
 * The uplink against a real MQTT broker over TCP (the embedded aedes on loopback): QoS 1
 * delivery, the MQTT 3.1.1 fallback, retries while the broker is away, and no loss across a
 * broker restart.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import mqtt from 'mqtt';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../gateway/broker/embedded-broker.js';
import { SystemClock } from '../../gateway/clock/system-clock.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { MqttUplink } from '../../gateway/uplink/mqtt-uplink.js';
import { Outbox } from '../../gateway/uplink/outbox.js';
import { waitFor } from '../harness/wait-for.js';
import { closedPort } from '../harness/ports.js';

function uplink(url: string) {
  const { log, records } = memoryLogger();
  const up = new MqttUplink({
    url, clientId: `test-${Math.random().toString(16).slice(2)}`, clock: new SystemClock(), log,
    statusTopic: 'kerb/v1/s/g/status', queue: new Outbox(), onlineStatus: () => Buffer.from('{"state":"online"}'), offlineStatus: () => Buffer.from('{"state":"offline"}'),
    backoffBaseMs: 20, backoffCapMs: 100, connectTimeoutMs: 2_000,
  });
  return { up, records };
}

/** Everything clients publish on `topic`, seen by the broker itself: no subscriber to race. */
function tap(broker: EmbeddedBroker, topic: string): string[] {
  const got: string[] = [];
  broker.onPublish((t, payload) => {
    if (t === topic) got.push(payload.toString());
  });
  return got;
}

async function subscriber(url: string, topic: string): Promise<{ got: string[]; client: mqtt.MqttClient }> {
  const got: string[] = [];
  const client = mqtt.connect(url, { protocolVersion: 4, reconnectPeriod: 50 });
  client.on('message', (_t, p) => got.push(p.toString()));
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => client.subscribe(topic, { qos: 1 }, (err) => (err ? reject(err) : resolve())));
  });
  return { got, client };
}

test('messages reach a subscriber at QoS 1 after falling back to MQTT 3.1.1', async () => {
  const broker = await startEmbeddedBroker();
  const sub = await subscriber(broker.url, 'kerb/v1/s/g/batch');
  const { up, records } = uplink(broker.url);
  up.start();
  for (let i = 0; i < 40; i++) up.send('kerb/v1/s/g/batch', Buffer.from(`m${i}`), 'telemetry');
  await waitFor(() => sub.got.length === 40, '40 messages at the subscriber');
  assert.equal(sub.got, Array.from({ length: 40 }, (_, i) => `m${i}`));
  assert.is(up.stats().protocolVersion, 4);
  assert.ok(records.some((r) => r.event === 'uplink.fallback'));
  await waitFor(() => up.stats().pending + up.stats().inflight === 0, 'the last acknowledgements');
  await up.stop();
  sub.client.end(true);
  await broker.close();
});

test('with no broker the uplink retries, says so, and delivers once a broker appears', async () => {
  const port = await closedPort();
  const url = `mqtt://127.0.0.1:${port}`;
  const { up, records } = uplink(url);
  up.start();
  for (let i = 0; i < 5; i++) up.send('kerb/v1/s/g/batch', Buffer.from(`early${i}`), 'telemetry');
  await waitFor(() => records.filter((r) => r.event === 'uplink.retry').length >= 3, 'three retries logged');
  assert.match(String(records.find((r) => r.event === 'uplink.retry')!.error), /ECONNREFUSED|connection closed/);
  assert.ok(['backoff', 'connecting'].includes(up.stats().state));
  assert.is(up.stats().pending, 5, 'nothing accepted was dropped while waiting');
  const broker = await startEmbeddedBroker(port);
  const got = tap(broker, 'kerb/v1/s/g/batch');
  await waitFor(() => got.length === 5, 'the five early messages');
  assert.equal(got, ['early0', 'early1', 'early2', 'early3', 'early4']);
  await up.stop();
  await broker.close();
});

test('a broker restart loses nothing: messages sent while it is down arrive after it returns', async () => {
  let broker: EmbeddedBroker = await startEmbeddedBroker();
  const port = broker.port;
  const { up } = uplink(broker.url);
  up.start();
  await waitFor(() => up.stats().state === 'online', 'online');
  await broker.close();
  await waitFor(() => up.stats().state !== 'online', 'the uplink to notice');
  for (let i = 0; i < 10; i++) up.send('kerb/v1/s/g/batch', Buffer.from(`down${i}`), 'telemetry');
  broker = await startEmbeddedBroker(port);
  const got = tap(broker, 'kerb/v1/s/g/batch');
  await waitFor(() => got.length >= 10, 'the ten messages');
  assert.equal([...new Set(got)].sort(), Array.from({ length: 10 }, (_, i) => `down${i}`).sort());
  assert.ok(up.stats().reconnects >= 1);
  await up.stop();
  await broker.close();
});

test('a broker lost while messages are in flight: every message arrives after it returns', async () => {
  let broker: EmbeddedBroker = await startEmbeddedBroker();
  const port = broker.port;
  let got = tap(broker, 'kerb/v1/s/g/batch');
  const { up } = uplink(broker.url);
  up.start();
  await waitFor(() => up.stats().state === 'online', 'online');
  for (let i = 0; i < 300; i++) up.send('kerb/v1/s/g/batch', Buffer.from(`m${i}`), 'telemetry');
  await waitFor(() => got.length >= 50, 'the first 50 at the broker');
  await broker.close(); // mid-stream: some messages are in flight, unacknowledged
  const before = new Set(got);
  broker = await startEmbeddedBroker(port);
  got = tap(broker, 'kerb/v1/s/g/batch');
  await waitFor(() => new Set([...before, ...got]).size === 300, 'all 300 across both brokers', 20_000);
  // The broker sees a message before it acknowledges it: wait for the last acknowledgements.
  await waitFor(() => up.stats().pending + up.stats().inflight === 0, 'the queue to empty');
  await up.stop();
  await broker.close();
});

test('the retained status says online, and the Last Will says offline when the gateway vanishes', async () => {
  const broker = await startEmbeddedBroker();
  const { up } = uplink(broker.url);
  up.start();
  await waitFor(() => up.stats().state === 'online', 'online');
  const sub = await subscriber(broker.url, 'kerb/v1/s/g/status');
  await waitFor(() => sub.got.includes('{"state":"online"}'), 'retained online status');
  // Cut the gateway's TCP connection without a DISCONNECT, as a power cut would.
  (up as unknown as { client: mqtt.MqttClient }).client.stream.destroy();
  await waitFor(() => sub.got.includes('{"state":"offline"}'), 'the will message');
  await up.stop();
  sub.client.end(true);
  await broker.close();
});

test.run();
