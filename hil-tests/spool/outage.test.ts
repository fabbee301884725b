/**
 * Store-and-forward through real outages: the demo street through the spool and the real uplink
 * to a real MQTT broker over TCP, with the broker away for an hour of virtual time, cut while
 * draining, or accepting connections and never acknowledging.
 */
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadSite } from '../../device-profiles/index.js';
import { createDedupDecoder } from '../../gateway/batch/dedup.js';
import type { DecodedBatch } from '../../gateway/batch/format.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../gateway/broker/embedded-broker.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { openDataDir } from '../../gateway/state/data-dir.js';
import type { QueueLimits } from '../../gateway/uplink/message-queue.js';
import { siteUplink } from '../../gateway/uplink/site-uplink.js';
import { buildRig } from '../harness/street-rig.js';
import { startSilentBroker } from '../harness/silent-broker.js';
import { waitFor } from '../harness/wait-for.js';
import { ROOT } from '../cli/run-kerb.js';
import { tempDir } from '../harness/temp-dir.js';

const MINUTE = 60_000;

function demoStreet() {
  const r = loadSite(path.join(ROOT, 'examples', 'demo-street.yaml'), { profilesDir: path.join(ROOT, 'device-profiles') });
  if (!r.ok) throw new Error('the demo street must load');
  return r.value;
}

interface SetupOptions {
  keepaliveS?: number;
  limits?: Partial<QueueLimits>;
  seed?: number;
}

/** The demo street through a spool-backed uplink to `port`; `produced` and `alerts` name what it made. */
function setup(port: number, o: SetupOptions = {}) {
  const site = demoStreet();
  const { log, records } = memoryLogger();
  const data = openDataDir(tempDir('kerb-outage-'), site.gateway, log, o.limits ?? {});
  assert.ok(data.durable);
  const uplink = siteUplink({
    url: `mqtt://127.0.0.1:${port}`, site: site.site, gateway: site.gateway, epoch: data.epoch, version: 'test', log, queue: data.queue,
    ...(o.keepaliveS ? { keepaliveS: o.keepaliveS } : {}),
  });
  const produced: string[] = [];
  const alerts: string[] = [];
  const rig = buildRig({
    site, seed: o.seed ?? 11, startWall: Date.UTC(2026, 5, 21, 18, 0), epoch: data.epoch, log,
    drops: () => data.queue.drops(), onDropsReported: () => uplink.publishStatus(),
    sink: {
      send: (topic, payload, cls) => {
        const key = `${data.epoch}/${rig.gateway.stats().seq}`;
        produced.push(key);
        if (cls === 'alert') alerts.push(key);
        return uplink.send(topic, payload, cls);
      },
    },
  });
  const start = (): void => {
    uplink.start();
    rig.street.start();
    rig.gateway.start();
  };
  /** Stops the street, waits until the spool has sent everything, and closes it all. */
  const finish = async (broker: EmbeddedBroker): Promise<void> => {
    rig.gateway.stop();
    rig.street.stop();
    await waitFor(() => data.queue.pendingCount() + data.queue.inflightCount() === 0, 'the spool to drain', 20_000);
    await uplink.stop();
    await broker.close();
    data.queue.close();
  };
  return { site, data, uplink, rig, produced, alerts, records, start, finish };
}

/** A working broker on `port`, with the batches it receives, de-duplicated. */
async function liveBroker(port: number): Promise<{ broker: EmbeddedBroker; got: DecodedBatch[] }> {
  const broker = await startEmbeddedBroker(port);
  const got: DecodedBatch[] = [];
  collect(broker, got);
  return { broker, got };
}

const keys = (batches: DecodedBatch[]): string[] => batches.map((b) => `${b.epoch}/${b.seq}`).sort();

async function run(rig: ReturnType<typeof buildRig>, minutes: number): Promise<void> {
  for (let m = 0; m < minutes; m++) {
    rig.clock.advance(MINUTE);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function collect(broker: EmbeddedBroker, into: DecodedBatch[], decode = createDedupDecoder()): ReturnType<typeof createDedupDecoder> {
  broker.onPublish((topic, payload) => {
    if (!/\/(batch|alert)$/.test(topic)) return;
    const b = decode(payload);
    if (b) into.push(b);
  });
  return decode;
}

test('broker away for an hour: after de-duplication every batch arrives exactly once, in order per device', async () => {
  let broker = await startEmbeddedBroker();
  const port = broker.port;
  const got: DecodedBatch[] = [];
  const decode = collect(broker, got);
  const { rig, produced, data, start, finish } = setup(port);
  start();
  await run(rig, 20);
  await broker.close();
  await run(rig, 60); // an hour with no broker: the spool keeps everything
  assert.ok(data.queue.pendingCount() >= 60, `the hour waits in the spool (${data.queue.pendingCount()})`);
  broker = await startEmbeddedBroker(port);
  collect(broker, got, decode);
  await run(rig, 20);
  await finish(broker);

  assert.equal(keys(got), [...produced].sort(), 'every batch, once');
  const last = new Map<string, number>();
  for (const b of got) {
    for (const s of b.series) {
      const key = `${s.device}/${s.metric}`;
      assert.ok(s.start > (last.get(key) ?? -Infinity), `${key} window at ${s.start} arrived out of order`);
      last.set(key, s.start);
    }
  }
});

test('a broker cut mid-drain: nothing lost, and resends stay within the in-flight window', async () => {
  let broker = await startEmbeddedBroker();
  const port = broker.port;
  await broker.close();
  const { rig, produced, start, finish } = setup(port);
  start();
  await run(rig, 120); // a backlog of two hours
  rig.gateway.stop();
  rig.street.stop();
  const counts = new Map<string, number>();
  const tapCounts = (b: EmbeddedBroker) => b.onPublish((topic, payload) => {
    if (!/\/(batch|alert)$/.test(topic)) return;
    const key = payload.toString('base64');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  broker = await startEmbeddedBroker(port);
  tapCounts(broker);
  await waitFor(() => counts.size >= 30, 'the drain to get going');
  await broker.close(); // cut while messages are in flight
  broker = await startEmbeddedBroker(port);
  tapCounts(broker);
  await finish(broker);
  assert.is(counts.size, produced.length, 'every batch arrived');
  const resent = [...counts.values()].reduce((n, c) => n + c - 1, 0);
  assert.ok(resent <= 16, `${resent} resends for one cut`);
});

test('a broker that never acknowledges: the window bounds what is outstanding, the rest waits on disk, nothing is lost', async () => {
  const silent = await startSilentBroker();
  const { rig, data, produced, start, finish } = setup(silent.port);
  start();
  await run(rig, 60);
  await waitFor(() => silent.publishes() >= 16, 'the window to fill');
  const heapBefore = process.memoryUsage().heapUsed;
  await run(rig, 120);
  assert.is(data.queue.inflightCount(), 16, 'no more than the window outstanding');
  assert.ok(data.queue.pendingCount() >= 150, `the rest waits in the spool (${data.queue.pendingCount()})`);
  assert.ok(process.memoryUsage().heapUsed - heapBefore < 64 * 1024 * 1024, 'memory does not grow with the backlog');
  // The broker recovers (here: a working one on the same port) and everything goes through.
  await silent.close();
  const { broker, got } = await liveBroker(silent.port);
  await finish(broker);
  assert.equal(keys(got), [...produced].sort());
});

test('keepalive timeouts against a silent broker are link failures: nothing counted as refused, nothing lost', async () => {
  const silent = await startSilentBroker();
  const { uplink, rig, data, produced, start, finish } = setup(silent.port, { keepaliveS: 1 });
  start();
  await run(rig, 30);
  // Each keepalive (1 s here) runs out unanswered: MQTT.js fails the callbacks of everything in
  // flight and closes; the uplink reconnects and sends it all again.
  await waitFor(() => uplink.stats().reconnects >= 2, 'two keepalive timeouts and reconnects', 15_000);
  assert.is(uplink.stats().drops.refused, 0);
  assert.is(data.queue.pendingCount() + data.queue.inflightCount(), produced.length, 'every batch still waiting');
  await silent.close();
  const { broker, got } = await liveBroker(silent.port);
  await finish(broker);
  assert.equal(keys(got), [...produced].sort());
});

test('disk budget reached: the oldest telemetry goes, alerts stay, the drops are reported, the gateway runs', async () => {
  const down = await startEmbeddedBroker();
  const port = down.port;
  await down.close();
  const { rig, data, alerts, start, finish } = setup(port, { seed: 5, limits: { maxBytes: 200 * 1024, alertReserveBytes: 20 * 1024 } });
  start();
  rig.street.igniteBin('bin-03', rig.clock.now() + 30 * MINUTE);
  await run(rig, 240);
  assert.ok(data.queue.drops()['telemetry-full'] > 0, 'the budget was reached');
  assert.ok(data.queue.totalBytes() <= 200 * 1024);
  assert.ok(alerts.length >= 1, 'the fire raised an alert');
  const { broker, got } = await liveBroker(port);
  const statuses: Array<{ drops: Record<string, number> }> = [];
  broker.onPublish((topic, payload) => {
    if (topic.endsWith('/status')) statuses.push(JSON.parse(payload.toString()));
  });
  await run(rig, 5); // the gateway runs on: the next batch reports the drops
  await finish(broker);
  const delivered = new Set(keys(got));
  for (const a of alerts) assert.ok(delivered.has(a), `alert ${a} was kept and delivered`);
  const reported = got.filter((b) => b.drops?.['telemetry-full']).map((b) => b.drops!['telemetry-full']!);
  assert.ok(reported.length > 0 && Math.max(...reported) > 0, 'a batch reported the telemetry drops');
  assert.ok(statuses.some((s) => s.drops['telemetry-full']! > 0), 'the retained status reported them too');
});

test.run();
