import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import mqtt from 'mqtt';
import { startEmbeddedBroker } from '../../gateway/broker/embedded-broker.js';
import { decodeBatch } from '../../gateway/batch/decode.js';
import { encodeBatch } from '../../gateway/batch/encode.js';
import { closedPort } from '../harness/ports.js';
import { kerb } from './run-kerb.js';
import { tempDir } from '../harness/temp-dir.js';

test('the demo starts its own broker, runs the street, stops cleanly and bumps the epoch', async () => {
  const dataDir = tempDir('kerb-demo-');
  const args = ['demo', '--speed', '3600', '--hours', '1', '--data-dir', dataDir];
  const r = await kerb(args);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /embedded MQTT broker listening on mqtt:\/\/127\.0\.0\.1:\d+/);
  assert.match(r.stdout, /lamps\s+20 .*spaces 30 .*bins 10/);
  assert.match(r.stdout, /alert\s+\d\d:\d\d bin-\d+ fire \d+/, 'the staged bin fire shows as the last alert');
  assert.match(r.stdout, /stopped cleanly, everything was acknowledged/);
  assert.is(fs.readFileSync(path.join(dataDir, 'gw-demo-01', 'epoch'), 'utf8').trim(), '1');
  assert.is((await kerb(args)).code, 0, 'the second run');
  assert.is(fs.readFileSync(path.join(dataDir, 'gw-demo-01', 'epoch'), 'utf8').trim(), '2');
});

test('with the broker unreachable the demo keeps its lamps working, retries, says so and exits cleanly', async () => {
  const dataDir = tempDir('kerb-demo-');
  const url = `mqtt://127.0.0.1:${await closedPort()}`;
  const r = await kerb(['demo', '--broker', url, '--speed', '3600', '--hours', '1', '--start', '23:00', '--data-dir', dataDir]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /"event":"uplink.retry".*ECONNREFUSED/);
  assert.match(r.stdout, /lamps\s+20 \(lit 20/, 'every lamp is lit at night without a broker');
  assert.match(r.stdout, /batch\(es\) were not acknowledged \(the broker was unreachable\)/);
});

test('a demo restarted on the same data directory sends what the last run left in its spool', async () => {
  const dataDir = tempDir('kerb-demo-');
  const broker = await startEmbeddedBroker();
  const port = broker.port;
  await broker.close();
  const first = await kerb(['demo', '--broker', `mqtt://127.0.0.1:${port}`, '--speed', '3600', '--hours', '1', '--data-dir', dataDir]);
  assert.is(first.code, 0, first.stderr);
  assert.match(first.stdout, /they wait in the spool and go out at the next start/);
  const live = await startEmbeddedBroker(port);
  const epochs: number[] = [];
  live.onPublish((topic, payload) => {
    if (/\/(batch|alert)$/.test(topic)) epochs.push(decodeBatch(payload).epoch);
  });
  const second = await kerb(['demo', '--broker', live.url, '--speed', '3600', '--hours', '0.2', '--data-dir', dataDir]);
  await live.close();
  assert.is(second.code, 0, second.stderr);
  const left = Number(/with (\d+) batch\(es\) left from before/.exec(second.stdout)?.[1]);
  assert.ok(left >= 50, `the first run left its hour in the spool (${left})`);
  assert.is(epochs.filter((e) => e === 1).length, left, 'every batch of the first run (epoch 1) went out in the second');
  assert.ok(epochs.includes(2), 'and the second run sent its own');
});

test('an invalid site file stops the demo before anything starts, listing the errors, exit 3', async () => {
  const r = await kerb(['demo', '--site', 'device-profiles/fixtures/site-broken.yaml']);
  assert.is(r.code, 3);
  assert.match(r.stderr, /errors? in the configuration:\n.*site-broken\.yaml:\d+:\d+/);
  assert.not.match(r.stdout, /broker listening/);
});

test('kerb tail prints decoded batches from a broker', async () => {
  const broker = await startEmbeddedBroker();
  const pub = mqtt.connect(broker.url, { protocolVersion: 4 });
  const payload = encodeBatch({ gateway: 'gw-x', site: 'site-x', epoch: 2, seq: 5, now: Date.UTC(2026, 0, 1), series: [], events: [] });
  const timer = setInterval(() => pub.publish('kerb/v1/site-x/gw-x/batch', payload, { qos: 1 }), 100);
  const r = await kerb(['tail', '--broker', broker.url, '--json', '--count', '1']);
  clearInterval(timer);
  pub.end(true);
  await broker.close();
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n')[0]!);
  assert.equal([out.topic, out.gateway, out.epoch, out.seq], ['kerb/v1/site-x/gw-x/batch', 'gw-x', 2, 5]);
});

test('a broker address that is not a URL is a usage error, before anything starts', async () => {
  for (const command of ['demo', 'tail']) {
    const r = await kerb([command, '--broker', 'localhost:1883']);
    assert.is(r.code, 2, command);
    assert.match(r.stderr, /--broker 'localhost:1883' must be mqtt:\/\//, command);
  }
});

test('a corrupt epoch file is reported with the file and what to do, exit 3', async () => {
  const dataDir = tempDir('kerb-demo-');
  fs.mkdirSync(path.join(dataDir, 'gw-demo-01'));
  fs.writeFileSync(path.join(dataDir, 'gw-demo-01', 'epoch'), 'garbage\n');
  const r = await kerb(['demo', '--data-dir', dataDir, '--hours', '0.1']);
  assert.is(r.code, 3);
  assert.match(r.stderr, /epoch: expected a non-negative integer epoch, found 'garbage'/);
  assert.match(r.stderr, /pass another --data-dir/);
});

test('kerb tail --dedup prints a batch delivered twice only once', async () => {
  const broker = await startEmbeddedBroker();
  const pub = mqtt.connect(broker.url, { protocolVersion: 4 });
  const batch = (seq: number) => encodeBatch({ gateway: 'gw-x', site: 'site-x', epoch: 2, seq, now: Date.UTC(2026, 0, 1), series: [], events: [] });
  let seq = 1;
  // Each seq is published twice, as a resend after a lost acknowledgement would.
  const timer = setInterval(() => {
    pub.publish('kerb/v1/site-x/gw-x/batch', batch(seq), { qos: 1 });
    pub.publish('kerb/v1/site-x/gw-x/batch', batch(seq), { qos: 1 });
    seq++;
  }, 100);
  const r = await kerb(['tail', '--broker', broker.url, '--json', '--dedup', '--count', '3']);
  clearInterval(timer);
  pub.end(true);
  await broker.close();
  assert.is(r.code, 0, r.stderr);
  const seqs = r.stdout.trim().split('\n').map((l) => JSON.parse(l).seq as number);
  assert.is(seqs.length, 3);
  assert.is(new Set(seqs).size, 3, `no seq twice: ${seqs.join(',')}`);
});

test('kerb tail gives up with exit 4 when the broker cannot be reached', async () => {
  const r = await kerb(['tail', '--broker', `mqtt://127.0.0.1:${await closedPort()}`, '--connect-timeout', '1']);
  assert.is(r.code, 4);
  assert.match(r.stderr, /could not reach mqtt:\/\/127\.0\.0\.1:\d+ within 1 s/);
});

test.run();
