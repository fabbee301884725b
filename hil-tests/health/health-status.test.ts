/**
 * The retained health message through a real MQTT broker (the embedded aedes over TCP) with the
 * uplink on the virtual clock: present with its fields for a late subscriber, republished when a
 * device reports a fault and at the period, and 'offline' by Last Will when the gateway vanishes.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import mqtt from 'mqtt';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../gateway/broker/embedded-broker.js';
import type { DeviceHealth, HealthMessage } from '../../gateway/health/health-message.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { Outbox } from '../../gateway/uplink/outbox.js';
import { siteUplink } from '../../gateway/uplink/site-uplink.js';
import { runClock } from '../harness/run-clock.js';
import { VirtualClock } from '../harness/virtual-clock.js';
import { waitFor } from '../harness/wait-for.js';

const TOPIC = 'kerb/v1/demo-street/gw-health/status';

async function setup() {
  const broker = await startEmbeddedBroker();
  const statuses: HealthMessage[] = [];
  broker.onPublish((topic, payload) => {
    if (topic === TOPIC) statuses.push(JSON.parse(payload.toString()));
  });
  const clock = new VirtualClock();
  let devices: DeviceHealth = { running: 3, failed: 1, faults: [] };
  const queue = new Outbox();
  const uplink = siteUplink({
    url: broker.url, site: 'demo-street', gateway: 'gw-health', epoch: 7, version: '1.2.3', log: memoryLogger().log, queue, clock,
    devices: () => devices,
  });
  uplink.start();
  // aedes speaks MQTT 3.1.1: the uplink falls back and reconnects on a zero-delay timer of its
  // clock. Run what is due, without moving virtual time, until the connect publish arrives.
  await waitFor(() => {
    clock.runDue();
    return statuses.length >= 1;
  }, 'the online status on connect');
  return { broker, statuses, clock, uplink, queue, setDevices: (d: DeviceHealth) => { devices = d; } };
}

async function retained(broker: EmbeddedBroker): Promise<{ got: HealthMessage[]; client: mqtt.MqttClient }> {
  const got: HealthMessage[] = [];
  const client = mqtt.connect(broker.url, { protocolVersion: 4, reconnectPeriod: 0 });
  client.on('message', (_t, p) => got.push(JSON.parse(p.toString())));
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => client.subscribe(TOPIC, { qos: 1 }, (err) => (err ? reject(err) : resolve())));
  });
  return { got, client };
}

test('a late subscriber finds the retained online message with version, uptime, spool, drops, devices and faults', async () => {
  const { broker, clock, uplink, queue } = await setup();
  queue.add('kerb/v1/demo-street/gw-health/batch', Buffer.alloc(10), 'telemetry', clock.wallTime()); // waits: nothing pumps it
  await runClock(clock, 61_000, 1_000); // the period republishes, with the uptime and the waiting batch
  const sub = await retained(broker);
  await waitFor(() => sub.got.length >= 1, 'the retained message');
  const m = sub.got[0]!;
  assert.equal({ ...m, startedAt: undefined, drops: undefined }, {
    state: 'online', site: 'demo-street', gateway: 'gw-health', epoch: 7, version: '1.2.3', startedAt: undefined,
    uptimeS: 60, clockSynced: true, spool: { pending: 1, bytes: 10, oldest: new Date(clock.wallTime() - 61_000).toISOString() },
    drops: undefined, devices: { running: 3, failed: 1, faulty: 0 }, faults: [],
  });
  assert.is(m.startedAt, new Date(clock.wallTime() - 61_000).toISOString());
  assert.is(m.drops['telemetry-full'], 0);
  sub.client.end(true);
  await uplink.stop();
  await broker.close();
});

test('a fault is republished within the debounce, and again at the period', async () => {
  const { broker, statuses, clock, uplink, setDevices } = await setup();
  await runClock(clock, 2_000, 500);
  setDevices({ running: 3, failed: 1, faults: [{ id: 'bin-03', faults: ['fire'] }] });
  await runClock(clock, 2_500, 500);
  assert.is(uplink.health.count(), 1, 'not yet: 5 s since the connect publish are not over');
  await runClock(clock, 500, 500);
  await waitFor(() => statuses.length >= 2, 'the fault at the broker');
  assert.equal(statuses[1]!.faults, [{ id: 'bin-03', faults: ['fire'] }]);
  assert.equal(statuses[1]!.devices, { running: 3, failed: 1, faulty: 1 });
  assert.is(statuses[1]!.uptimeS, 5);
  await runClock(clock, 60_000, 1_000);
  await waitFor(() => statuses.length >= 3, 'the periodic publish');
  assert.is(statuses[2]!.uptimeS, 65);
  assert.is(statuses.length, 3, 'nothing else in between');
  await uplink.stop();
  assert.is(statuses.at(-1)!.state, 'offline', 'a clean stop says offline');
  assert.is(clock.pending(), 0, 'stop left no timer on the uplink clock');
  await broker.close();
});

test('the Last Will says offline, with the same fields, when the gateway vanishes', async () => {
  const { broker, uplink } = await setup();
  const sub = await retained(broker);
  await waitFor(() => sub.got.some((m) => m.state === 'online'), 'the retained online message');
  // Cut the gateway's TCP connection without a DISCONNECT, as a power cut would.
  (uplink as unknown as { client: mqtt.MqttClient }).client.stream.destroy();
  await waitFor(() => sub.got.some((m) => m.state === 'offline'), 'the will message');
  const will = sub.got.find((m) => m.state === 'offline')!;
  assert.is(will.gateway, 'gw-health');
  assert.is(will.version, '1.2.3');
  assert.equal(will.devices, { running: 3, failed: 1, faulty: 0 });
  await uplink.stop();
  sub.client.end(true);
  await broker.close();
});

test.run();
