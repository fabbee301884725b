/**
 * Store-and-forward figures for `kerb bench`, each against its baseline in the same run:
 * - drain rate of a 1,000,000-value backlog through a 100 ms round-trip link, against MQTT.js
 *   replaying the same messages from its own offline store (one per acknowledgement);
 * - start-up with that backlog: first lamp command and first batch acknowledged.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { loadSite } from '../../device-profiles/index.js';
import { startEmbeddedBroker } from '../../gateway/broker/embedded-broker.js';
import { decodeBatch } from '../../gateway/batch/decode.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { openSpool, type Spool } from '../../gateway/spool/spool.js';
import { openDataDir } from '../../gateway/state/data-dir.js';
import { DEFAULT_QUEUE_LIMITS, type QueueLimits } from '../../gateway/uplink/message-queue.js';
import { siteUplink } from '../../gateway/uplink/site-uplink.js';
import { boardPin } from '../../hil-tests/harness/device-board.js';
import { buildRig } from '../../hil-tests/harness/street-rig.js';
import { DEMO_SITE, PROFILES_DIR } from '../paths.js';
import { startLatencyProxy } from './latency-proxy.js';
import type { Workload } from './workload.js';

export interface Backlog {
  batches: Array<{ topic: string; payload: Buffer; values: number }>;
  values: number;
  bytes: number;
}

/** Repeats the workload's batches until `values` values are waiting. */
export function backlogOf(w: Workload, values: number): Backlog {
  const source = w.batches.map((b) => ({ ...b, values: decodeBatch(b.payload).values }));
  const out: Backlog = { batches: [], values: 0, bytes: 0 };
  for (let i = 0; out.values < values; i = (i + 1) % source.length) {
    out.batches.push(source[i]!);
    out.values += source[i]!.values;
    out.bytes += source[i]!.payload.length;
  }
  return out;
}

/** Limits with room for the whole backlog, whatever its size. */
export function roomFor(backlog: Backlog): Partial<QueueLimits> {
  return { maxBytes: 4 * backlog.bytes + DEFAULT_QUEUE_LIMITS.alertReserveBytes };
}

/** A spool in `file` holding the backlog, stored one batch per commit as a gateway does. */
function spoolWith(backlog: Backlog, file: string): Spool {
  const { spool } = openSpool(file, { log: memoryLogger().log, limits: roomFor(backlog) });
  let now = Date.UTC(2026, 5, 21);
  for (const b of backlog.batches) spool.add(b.topic, b.payload, 'telemetry', now++);
  return spool;
}

export interface DrainFigures { kerbValuesPerS: number; kerbMessagesPerS: number; mqttjsValuesPerS: number; mqttjsMessagesPerS: number; mqttjsMessages: number }

async function kerbDrain(backlog: Backlog, dir: string, url: string): Promise<number> {
  const spool = spoolWith(backlog, path.join(dir, 'drain.db'));
  const uplink = siteUplink({ url, site: 'bench', gateway: 'gw-bench', epoch: 1, version: 'bench', log: memoryLogger().log, queue: spool });
  const started = performance.now();
  uplink.start();
  while (spool.pendingCount() + spool.inflightCount() > 0) await new Promise((r) => setTimeout(r, 5));
  const ms = performance.now() - started;
  await uplink.stop();
  spool.close();
  return ms;
}

/**
 * MQTT.js with its own store: the messages are published while it is offline and replayed when
 * it connects. This is its best case: it connects once, straight to a broker that is there
 * (measured here, each failed reconnect attempt during an outage made its replay slower still).
 */
async function mqttjsReplay(messages: Backlog['batches'], proxyPort: number): Promise<number> {
  const client = mqtt.connect(`mqtt://127.0.0.1:${proxyPort}`, { protocolVersion: 4, clean: true, manualConnect: true });
  client.on('error', () => {});
  let acked = 0;
  let started = 0;
  const done = new Promise<number>((resolve) => {
    for (const m of messages) {
      client.publish(m.topic, m.payload, { qos: 1 }, (err) => {
        if (!err && ++acked === messages.length) resolve(performance.now() - started);
      });
    }
  });
  started = performance.now();
  client.connect();
  const ms = await done;
  client.end(true);
  return ms;
}

export async function measureDrain(backlog: Backlog, dir: string, baselineMessages: number): Promise<DrainFigures> {
  const broker = await startEmbeddedBroker();
  const proxy = await startLatencyProxy(broker.port, 100);
  const kerbMs = await kerbDrain(backlog, dir, `mqtt://127.0.0.1:${proxy.port}`);
  const prefix = backlog.batches.slice(0, baselineMessages);
  const mqttjsMs = await mqttjsReplay(prefix, proxy.port);
  await proxy.close();
  await broker.close();
  const prefixValues = prefix.reduce((n, m) => n + m.values, 0);
  return {
    kerbValuesPerS: (backlog.values * 1000) / kerbMs,
    kerbMessagesPerS: (backlog.batches.length * 1000) / kerbMs,
    mqttjsValuesPerS: (prefixValues * 1000) / mqttjsMs,
    mqttjsMessagesPerS: (prefix.length * 1000) / mqttjsMs,
    mqttjsMessages: prefix.length,
  };
}

export interface StartupFigures { openMs: number; firstLampMs: number; firstAckMs: number; waiting: number }

/** A gateway starting on a data directory whose spool holds the backlog. */
export async function measureStartup(backlog: Backlog, dir: string): Promise<StartupFigures> {
  const loaded = loadSite(DEMO_SITE, { profilesDir: PROFILES_DIR });
  if (!loaded.ok) throw new Error('the demo street does not load');
  const site = loaded.value;
  spoolWith(backlog, path.join(dir, site.gateway, 'spool.db')).close();
  const broker = await startEmbeddedBroker();
  const { log } = memoryLogger();
  const t0 = performance.now();
  const data = openDataDir(dir, site.gateway, log, roomFor(backlog));
  const openMs = performance.now() - t0;
  const waiting = data.queue.pendingCount();
  const uplink = siteUplink({ url: broker.url, site: site.site, gateway: site.gateway, epoch: data.epoch, version: 'bench', log, queue: data.queue });
  uplink.start();
  const rig = buildRig({ site, seed: 1, startWall: Date.UTC(2026, 5, 21, 21, 0), epoch: data.epoch, log, sink: uplink });
  rig.gateway.start();
  const lamp = site.devices.find((d) => d.kind === 'lamp')!;
  const pin = boardPin(lamp.id, lamp.pins.driver!);
  const firstLampMs = rig.hal.pwmWrites(pin).length > 0 ? performance.now() - t0 : NaN;
  while (uplink.stats().sent === 0) {
    if (performance.now() - t0 > 60_000) throw new Error(`no batch was acknowledged within 60 s: ${JSON.stringify(uplink.stats())}`);
    await new Promise((r) => setTimeout(r, 1));
  }
  const firstAckMs = performance.now() - t0;
  rig.gateway.stop();
  await uplink.stop();
  data.queue.close();
  await broker.close();
  return { openMs, firstLampMs, firstAckMs, waiting };
}

export function benchDir(): string {
  // On the disk the spool would use: tmpfs would hide every write from /proc/self/io.
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kerb-bench-'));
}
