/**
 * The pipeline throughput figure for `kerb bench`: raw readings per second through Kerb's real
 * parts in their real order (aggregate -> encode -> spool -> publish, until the broker has
 * acknowledged every batch), against a naive publisher that sends each reading as JSON at QoS 1
 * to the same broker. Both run side by side in one call.
 *
 * Time is as the readings say (a VirtualClock advanced to each reading's time closes the
 * windows and fires the batch timer); CPU is as fast as it goes. The uplink runs on real timers
 * and drains the on-disk spool while readings are still being fed, as on a gateway.
 */
import path from 'node:path';
import mqtt from 'mqtt';
import type { DeviceKind } from '../../firmware/devices/types.js';
import { METRICS_BY_KIND } from '../../firmware/devices/create.js';
import { Aggregator } from '../../gateway/aggregate/aggregator.js';
import { encodeBatch, type SeriesInput } from '../../gateway/batch/encode.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../gateway/broker/embedded-broker.js';
import { wallAt } from '../../gateway/clock/wall.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { openSpool } from '../../gateway/spool/spool.js';
import { siteUplink } from '../../gateway/uplink/site-uplink.js';
import { topicsFor } from '../../gateway/uplink/topics.js';
import { VirtualClock } from '../../hil-tests/harness/virtual-clock.js';
import { waitFor } from '../../hil-tests/harness/wait-for.js';
import type { RawReading } from './workload.js';

export interface PipelineInput {
  devices: Array<{ id: string; kind: DeviceKind; windowMs: number }>;
  /** Sorted by t (wall ms). */
  readings: RawReading[];
  site: string;
  gateway: string;
}

export interface PipelineOptions {
  /** Readings the naive publisher sends (the first ones); default 50,000, at most 65,535. */
  naiveReadings?: number;
  /** Reading time between batches; default 60 s, as a gateway. */
  batchIntervalMs?: number;
  /** The uplink's backlog rate limit (messages/s). Default: none that binds (see DEFAULT_DRAIN_RATE). */
  drainRatePerS?: number;
  /** A broker to publish to (left running); default an embedded broker started and closed here. */
  broker?: EmbeddedBroker;
}

export interface PipelineFigures {
  kerb: { values: number; ms: number; valuesPerS: number; batches: number; bytes: number };
  naive: { values: number; ms: number; valuesPerS: number };
  speedup: number;
}

/**
 * The uplink's default (200 messages/s) paces a backlog after an outage. Here reading time runs
 * thousands of times faster than on a street, so a day's batches arrive in seconds and that
 * pacing, not the pipeline, would set the figure: the bench lifts it unless told otherwise.
 */
export const DEFAULT_DRAIN_RATE = 1_000_000;

/** In-flight QoS 1 messages of one MQTT client are told apart by a 16-bit id. */
const MAX_NAIVE = 65_535;

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function kerbPipeline(input: PipelineInput, dir: string, url: string, intervalMs: number, drainRatePerS: number): Promise<PipelineFigures['kerb']> {
  const { readings } = input;
  const t0 = readings[0]?.t ?? 0;
  const clock = new VirtualClock({ startWall: t0 });
  const aggregator = new Aggregator(clock);
  const kinds = new Map(input.devices.map((d) => [d.id, d.kind]));
  for (const d of input.devices) aggregator.addDevice(d.id, METRICS_BY_KIND[d.kind], d.windowMs);
  const { log } = memoryLogger();
  const { spool } = openSpool(path.join(dir, 'pipeline.db'), { log });
  const uplink = siteUplink({ url, site: input.site, gateway: input.gateway, epoch: 1, version: 'bench', log, queue: spool, drainRatePerS });
  const topic = topicsFor(input.site, input.gateway).batch;
  let seq = 0;
  let bytes = 0;
  // As Gateway.flush: closed windows to wall times, one batch, handed to the uplink (which adds
  // it to the spool, durably, and publishes it when its window has room).
  const flush = (): void => {
    const series: SeriesInput[] = aggregator.take().map((c) => ({
      device: c.device, kind: kinds.get(c.device)!, metric: c.metric,
      start: wallAt(clock, c.start), end: wallAt(clock, c.end), stats: c.stats,
    }));
    if (series.length === 0) return;
    const payload = encodeBatch({ gateway: input.gateway, site: input.site, epoch: 1, seq: ++seq, series, events: [], now: clock.wallTime() });
    bytes += payload.length;
    if (!uplink.send(topic, payload, 'telemetry')) throw new Error(`pipeline bench: the spool refused batch ${seq}: ${JSON.stringify(spool.drops())}`);
  };
  const timer = clock.setInterval(flush, intervalMs);
  try {
    uplink.start();
    await waitFor(() => uplink.stats().state === 'online', 'the uplink to connect');
    const started = performance.now();
    let batches = seq;
    for (const r of readings) {
      const time = r.t - t0;
      if (time > clock.now()) clock.advanceTo(time);
      aggregator.add(r.device, { type: 'reading', metric: r.metric, value: r.v, time });
      if (seq !== batches) {
        batches = seq;
        await tick(); // let the uplink publish and take acknowledgements while feeding goes on
      }
    }
    // flushAll skips a window opened this very ms (it has no length); if the last reading fell on
    // a window's end, that window holds it: step 1 ms on first.
    clock.advance(1);
    aggregator.flushAll();
    flush();
    await waitFor(() => spool.pendingCount() + spool.inflightCount() === 0, 'the broker to acknowledge every batch', 120_000);
    const ms = performance.now() - started;
    return { values: readings.length, ms, valuesPerS: (readings.length * 1000) / ms, batches: seq, bytes };
  } finally {
    clock.clearTimer(timer);
    aggregator.stop();
    await uplink.stop();
    spool.close();
  }
}

/** Each reading as JSON at QoS 1, all issued at once and awaited together: its best case. */
async function naivePublisher(readings: RawReading[], url: string, topic: string): Promise<PipelineFigures['naive']> {
  const client = mqtt.connect(url, { protocolVersion: 4, reconnectPeriod: 0 });
  client.on('error', () => {});
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      let acked = 0;
      for (const { device, metric, t, v } of readings) {
        client.publish(topic, JSON.stringify({ device, metric, t, v }), { qos: 1 }, (err) => {
          if (err) reject(err);
          else if (++acked === readings.length) resolve();
        });
      }
    });
    const ms = performance.now() - started;
    return { values: readings.length, ms, valuesPerS: (readings.length * 1000) / ms };
  } finally {
    await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
  }
}

export async function measurePipeline(input: PipelineInput, dir: string, opts: PipelineOptions = {}): Promise<PipelineFigures> {
  const naiveReadings = opts.naiveReadings ?? 50_000;
  if (!(naiveReadings >= 1 && naiveReadings <= MAX_NAIVE)) throw new RangeError(`naiveReadings must be 1 to ${MAX_NAIVE} (one client's QoS 1 ids), got ${naiveReadings}`);
  if (input.readings.length === 0) throw new RangeError('pipeline bench: no readings to feed');
  const broker = opts.broker ?? (await startEmbeddedBroker());
  try {
    const kerb = await kerbPipeline(input, dir, broker.url, opts.batchIntervalMs ?? 60_000, opts.drainRatePerS ?? DEFAULT_DRAIN_RATE);
    const naive = await naivePublisher(input.readings.slice(0, naiveReadings), broker.url, `${topicsFor(input.site, input.gateway).prefix}/reading`);
    return { kerb, naive, speedup: kerb.valuesPerS / naive.valuesPerS };
  } finally {
    if (opts.broker === undefined) await broker.close();
  }
}
