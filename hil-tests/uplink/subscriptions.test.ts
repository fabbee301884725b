/**
 * The uplink's subscriptions (the downlink's commands) against a real broker over TCP (the
 * embedded aedes): made on connect, made again after the broker comes back, and each message
 * handed to the subscription whose filter matches.
 */
import mqtt from 'mqtt';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../gateway/broker/embedded-broker.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { Outbox } from '../../gateway/uplink/outbox.js';
import { siteUplink } from '../../gateway/uplink/site-uplink.js';
import { topicsFor } from '../../gateway/uplink/topics.js';
import { waitFor } from '../harness/wait-for.js';

const T = topicsFor('s', 'g');

async function publisher(url: string): Promise<mqtt.MqttClient> {
  const c = mqtt.connect(url, { protocolVersion: 4, reconnectPeriod: 0 });
  await new Promise<void>((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('error', reject);
  });
  return c;
}

test('commands published for the gateway reach its subscription, also after the broker restarts', async () => {
  let broker: EmbeddedBroker = await startEmbeddedBroker();
  const port = broker.port;
  const got: string[] = [];
  const { log, records } = memoryLogger();
  const up = siteUplink({
    url: broker.url, site: 's', gateway: 'g', epoch: 1, version: 'test', log, queue: new Outbox(),
    subscriptions: [
      { topic: T.cmd('+'), qos: 1, onMessage: (t, p) => got.push(`${t} ${p.toString()}`) },
      { topic: 'kerb/v1/s/other/cmd/+', onMessage: () => got.push('wrong') },
    ],
  });
  up.start();
  await waitFor(() => records.filter((r) => r.event === 'uplink.subscribed').length === 2, 'both subscriptions');
  let pub = await publisher(broker.url);
  pub.publish(T.cmd('lamp-1'), 'on', { qos: 1 });
  await waitFor(() => got.length === 1, 'the first command');
  assert.equal(got, [`${T.cmd('lamp-1')} on`]);

  pub.end(true);
  await broker.close();
  await waitFor(() => up.stats().state !== 'online', 'the uplink to notice');
  broker = await startEmbeddedBroker(port);
  await waitFor(() => up.stats().state === 'online' && records.filter((r) => r.event === 'uplink.subscribed').length === 4, 'subscribed again');
  pub = await publisher(broker.url);
  pub.publish(T.cmd('lamp-2'), 'off', { qos: 1 });
  await waitFor(() => got.length === 2, 'the command after the restart');
  assert.equal(got[1], `${T.cmd('lamp-2')} off`);
  pub.end(true);
  await up.stop();
  await broker.close();
});

test.run();
