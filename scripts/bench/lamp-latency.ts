/**
 * Lamp reaction latency for `kerb bench`, while a backlog drains and, as the baseline, with
 * nothing draining, in the same run.
 *
 * What runs: real lamp controllers (lamp-pir-pwm) hosted by the real Gateway on the SystemClock,
 * on mock pins (generated-site.ts), their batches going to an on-disk spool and an uplink
 * connected to a local broker (the embedded aedes, in this process, no latency proxy). Nothing
 * simulates the street: this file raises PIR pins with timers at planned instants.
 *
 * One edge: the PIR pin goes high at a planned instant (never before it: a Node timer may fire up
 * to 1 ms early, so the raise waits out the rest) and low `pulseMs` later. Its latency is the
 * time of the PWM write to full level on that lamp's driver (performance.now() right after the
 * mock output recorded it) minus (the planned instant + the PIR debounce): what the gateway adds
 * beyond the configured debounce, including any lateness of our own timer, of the debounce timer
 * and of the controller behind a busy event loop. It can be down to -1 ms: the SystemClock fires
 * a timer up to 1 ms early (Node times in whole milliseconds).
 *
 * Making every edge count:
 * - Night: the lamps decide day or night from the sun at their location (schedule source 'sun',
 *   wall time from the system clock). The street is placed on the meridian where it is solar
 *   midnight when the run starts, hours from dusk and dawn whatever the date; the run checks
 *   that every lamp says night before it starts.
 * - One write per edge: a lamp already at full level writes nothing on motion. The lamps get
 *   holdS 1 and fadeS 0 (site overrides: back at base level 1 s after the PIR goes low), and
 *   edges go round-robin over `lamps` lamps, so each lamp is at base level again long before
 *   its next edge (lamps x the shortest gap later). Every edge is checked for exactly one write
 *   to full level.
 * - Gaps between edges are seeded uniform jitter in `gapMs`; both phases use the same schedule.
 *   The first `WARMUP_EDGES` edges of each phase are not counted.
 *
 * The drain: by default the uplink's rate limit (200 messages/s, for a backlog after an outage)
 * is lifted, so the drain runs as fast as this process can: the worst case for the lamps. A
 * 1,000,000-value backlog is then gone in well under a second here, so the spool is preloaded
 * with several copies of it (`maxCopies`, sized from the planned sampling time and the rate
 * limit), edges are a few milliseconds apart (hundreds of lamps, each edge independent of the
 * others), and a draining-phase sample counts only if the drain had started when its edge was
 * raised and the spool still held messages when the lamp wrote: every counted sample was taken
 * while the drain ran. The figures report the values drained between the first counted edge and
 * the last counted write. For the paced drain of a field gateway pass drainRatePerS 200 with
 * street-like gaps (e.g. lamps 40, gapMs [50, 150]: about 45 s).
 */
import fs from 'node:fs';
import path from 'node:path';
import { startEmbeddedBroker } from '../../gateway/broker/embedded-broker.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { openSpool, type Spool } from '../../gateway/spool/spool.js';
import { siteUplink } from '../../gateway/uplink/site-uplink.js';
import type { MqttUplink } from '../../gateway/uplink/mqtt-uplink.js';
import { boardPin } from '../../hil-tests/harness/device-board.js';
import { Random } from '../../hil-tests/harness/random.js';
import type { Site } from '../../device-profiles/index.js';
import { generateSite, midnightMeridian, mockPinGateway } from './generated-site.js';
import { roomFor, type Backlog } from './spool-bench.js';

export interface LatencyStats {
  /** Milliseconds beyond the debounce. */
  p50: number;
  p99: number;
  n: number;
}

export interface DrainDuringSampling {
  /** Values (and messages) in the spool when the draining phase started. */
  backlogValues: number;
  backlogMessages: number;
  /** Drained between the first counted edge and the last counted write. */
  valuesDrained: number;
  messagesDrained: number;
  valuesPerS: number;
  /** Messages still in the spool at the first counted edge and at the last counted write. */
  leftAtFirst: number;
  leftAtLast: number;
  /** The uplink's rate limit, messages/s (200 is its default). */
  drainRatePerS: number;
}

export interface LampLatencyFigures {
  idle: LatencyStats;
  draining: LatencyStats;
  debounceMs: number;
  lamps: number;
  drain: DrainDuringSampling;
  /** Every counted latency, ms, in the order the lamps wrote. */
  samplesMs: { idle: number[]; draining: number[] };
  /** Edges raised per phase, counted or not (warm-up, drain not running). */
  edges: { idle: number; draining: number };
  /** Edges per phase that did not produce exactly one write to full level (expected 0). */
  unmatched: { idle: number; draining: number };
}

export interface LampLatencyOptions {
  /** Samples per phase; default 200. */
  samples?: number;
  /** Lamps the edges go round; default 750. */
  lamps?: number;
  /** Shortest and longest gap between planned edges, ms; default [2, 6]. */
  gapMs?: [number, number];
  /** How long the PIR stays high, ms (more than the debounce); default 100. */
  pulseMs?: number;
  seed?: number;
  /** The uplink's drain rate limit, messages/s; default UNTHROTTLED (the uplink's own is 200). */
  drainRatePerS?: number;
  /** Most copies of the backlog preloaded into the spool; default 10. */
  maxCopies?: number;
  /** A broker to drain to; default an embedded one started (and closed) here. */
  brokerUrl?: string;
}

/** Edges at the start of each phase that are raised and checked but not counted. */
export const WARMUP_EDGES = 10;
/** A drain rate limit that never binds (as pipeline.ts lifts it). */
export const UNTHROTTLED = 1_000_000;
/** The lamps' hold after the last motion, s: short, so each lamp is at base level again soon. */
const HOLD_S = 1;
const FADE_S = 0;
const PHASE_CAP_MS = 45_000;
/** From the uplink coming online to the first edge, ms. */
const LEAD_MS = 50;
const TAIL_MS = 2_000;

interface PlannedEdge {
  index: number;
  lamp: string;
  planned: number;
  /** Messages in the spool (pending and in flight) when the pin went high. */
  leftAtEdge: number;
  writes: number;
  writeAt: number;
  leftAtWrite: number;
}

interface PhaseResult {
  edges: PlannedEdge[];
  counted: PlannedEdge[];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

function stats(latencies: number[]): LatencyStats {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), n: sorted.length };
}

/** Adds `copies` copies of the backlog to the spool, stamped now (so no age bound drops them). */
function preload(spool: Spool, backlog: Backlog, copies: number): void {
  for (let c = 0; c < copies; c++) {
    for (const b of backlog.batches) spool.add(b.topic, b.payload, 'telemetry', Date.now());
  }
}

/** Values carried by the first `i` preloaded messages. */
function valuesBefore(backlog: Backlog, prefix: number[], i: number): number {
  const n = backlog.batches.length;
  return Math.floor(i / n) * backlog.values + prefix[i % n]!;
}

async function until(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`lamp latency: timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

interface PhaseSetup {
  site: Site;
  url: string;
  file: string;
  backlog: Backlog;
  copies: number;
  debounceMs: number;
  o: Required<Omit<LampLatencyOptions, 'brokerUrl'>>;
}

async function runPhase(s: PhaseSetup): Promise<PhaseResult> {
  const { site, o } = s;
  const { log } = memoryLogger();
  const { spool } = openSpool(s.file, { log, limits: roomFor({ ...s.backlog, bytes: s.backlog.bytes * Math.max(1, s.copies) }) });
  preload(spool, s.backlog, s.copies);
  const preloaded = spool.pendingCount();
  const left = (): number => spool.pendingCount() + spool.inflightCount();
  const fullLevel = new Map(site.devices.map((d) => [d.id, d.kind === 'lamp' ? d.config.fullLevel : NaN]));
  const open = new Map<string, PlannedEdge>();
  const edges: PlannedEdge[] = [];
  const counted: PlannedEdge[] = [];
  const countable = (e: PlannedEdge): boolean => s.copies === 0 || (e.leftAtEdge < preloaded && e.leftAtWrite > 0);
  let unexpected = 0;
  const uplink: MqttUplink = siteUplink({
    url: s.url, site: site.site, gateway: site.gateway, epoch: 1, version: 'bench', log, queue: spool,
    drainRatePerS: o.drainRatePerS,
  });
  const { gateway, hal } = mockPinGateway({
    site, sink: uplink, epoch: 1, log,
    onPwmWrite: (device, duty) => {
      if (duty !== fullLevel.get(device)) return;
      const now = performance.now();
      const e = open.get(device);
      if (e === undefined) {
        unexpected++;
        return;
      }
      if (++e.writes > 1) return;
      e.writeAt = now;
      e.leftAtWrite = left();
      if (e.index >= WARMUP_EDGES && countable(e)) counted.push(e);
    },
  });
  uplink.start();
  gateway.start();
  const lamps = site.devices.filter((d) => d.kind === 'lamp');
  try {
    if (gateway.failedDevices().length > 0) throw new Error(`lamp latency: devices did not start: ${JSON.stringify(gateway.failedDevices())}`);
    const day = gateway.devices().filter((d) => d.state.night !== true);
    if (day.length > 0) throw new Error(`lamp latency: ${day.length} lamps say it is day (mode ${String(day[0]!.state.mode)}); motion would not raise them`);
    await until(() => uplink.stats().state === 'online', 'the uplink to come online', 10_000);
    const rng = new Random(o.seed);
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      let k = 0;
      const raise = (planned: number): void => {
        try {
          edge(planned);
        } catch (err) {
          reject(err as Error);
        }
      };
      const edge = (planned: number): void => {
        if (performance.now() < planned) {
          setImmediate(() => raise(planned)); // the timer fired early: not before the planned instant
          return;
        }
        const d = lamps[k % lamps.length]!;
        const pin = boardPin(d.id, d.pins.pir!);
        const e: PlannedEdge = { index: edges.length, lamp: d.id, planned, leftAtEdge: left(), writes: 0, writeAt: NaN, leftAtWrite: NaN };
        edges.push(e);
        open.set(d.id, e);
        hal.setLevel(pin, 1);
        setTimeout(() => hal.setLevel(pin, 0), o.pulseMs);
        k++;
        const drainEnded = s.copies > 0 && e.leftAtEdge === 0;
        if (counted.length >= o.samples || drainEnded || performance.now() - started > PHASE_CAP_MS) {
          resolve();
          return;
        }
        const next = planned + rng.uniform(o.gapMs[0], o.gapMs[1]);
        setTimeout(() => raise(next), next - performance.now());
      };
      const first = performance.now() + LEAD_MS;
      setTimeout(() => raise(first), LEAD_MS);
    });
    // The last edges' writes are due a debounce later; an edge still unanswered after
    // TAIL_MS is reported as unmatched.
    const tail = performance.now() + TAIL_MS;
    while (edges.some((e) => e.writes === 0) && performance.now() < tail) await new Promise((r) => setTimeout(r, 5));
  } finally {
    gateway.stop();
    await uplink.stop();
    spool.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(s.file + suffix, { force: true });
  }
  if (unexpected > 0) throw new Error(`lamp latency: ${unexpected} writes to full level with no edge raised on that lamp`);
  return { edges, counted };
}

/**
 * Lamp reaction latency, idle and while `backlog` (repeated as needed, see above) drains from an
 * on-disk spool in `dir` to a local broker. Runs the idle phase first, then the draining one.
 */
export async function measureLampLatency(backlog: Backlog, dir: string, opts: LampLatencyOptions = {}): Promise<LampLatencyFigures> {
  const o = {
    samples: opts.samples ?? 200, lamps: opts.lamps ?? 750, gapMs: opts.gapMs ?? ([2, 6] as [number, number]),
    pulseMs: opts.pulseMs ?? 100, seed: opts.seed ?? 11, maxCopies: opts.maxCopies ?? 10,
    drainRatePerS: opts.drainRatePerS ?? UNTHROTTLED,
  };
  const site = generateSite({
    lamps: o.lamps, parking: 0, bins: 0, site: 'latency-street', gateway: 'gw-latency-01',
    origin: midnightMeridian(Date.now(), 52.367575),
    overrides: { lamp: { config: { holdS: HOLD_S, fadeS: FADE_S } } },
  }, dir);
  const lamp = site.devices.find((d) => d.kind === 'lamp');
  if (lamp === undefined || lamp.kind !== 'lamp') throw new Error('lamp latency: no lamp in the generated site');
  const debounceMs = lamp.config.pirDebounceMs;
  if (o.pulseMs <= debounceMs) throw new Error(`lamp latency: pulseMs (${o.pulseMs}) must exceed the PIR debounce (${debounceMs} ms)`);
  if (o.lamps * o.gapMs[0] < HOLD_S * 1000 + o.pulseMs + 200) {
    throw new Error(`lamp latency: ${o.lamps} lamps x ${o.gapMs[0]} ms is too short for a lamp to be back at base level before its next edge`);
  }

  const rate = o.drainRatePerS;
  const planMs = (o.samples + WARMUP_EDGES) * ((o.gapMs[0] + o.gapMs[1]) / 2) + 500;
  const copies = Math.min(o.maxCopies, Math.max(1, Math.ceil((1.5 * (planMs / 1000) * rate) / backlog.batches.length)));

  const broker = opts.brokerUrl === undefined ? await startEmbeddedBroker() : undefined;
  const url = opts.brokerUrl ?? broker!.url;
  const setup = { site, url, backlog, debounceMs, o };
  let idle: PhaseResult;
  let draining: PhaseResult;
  try {
    idle = await runPhase({ ...setup, file: path.join(dir, 'lamp-latency-idle.db'), copies: 0 });
    draining = await runPhase({ ...setup, file: path.join(dir, 'lamp-latency-drain.db'), copies });
  } finally {
    await broker?.close();
  }

  const latency = (e: PlannedEdge): number => e.writeAt - (e.planned + debounceMs);
  const prefix = [0];
  for (const b of backlog.batches) prefix.push(prefix[prefix.length - 1]! + b.values);
  const backlogMessages = copies * backlog.batches.length;
  // The window: from the first counted edge raised to the last counted write.
  const first = [...draining.counted].sort((a, b) => a.index - b.index)[0];
  const last = draining.counted[draining.counted.length - 1];
  const leftAtFirst = first?.leftAtEdge ?? NaN;
  const leftAtLast = last?.leftAtWrite ?? NaN;
  const valuesDrained = first && last
    ? valuesBefore(backlog, prefix, backlogMessages - leftAtLast) - valuesBefore(backlog, prefix, backlogMessages - leftAtFirst)
    : 0;
  const windowS = first && last ? (last.writeAt - first.planned) / 1000 : NaN;
  const unmatched = (p: PhaseResult): number => p.edges.filter((e) => e.writes !== 1).length;
  return {
    idle: stats(idle.counted.map(latency)),
    draining: stats(draining.counted.map(latency)),
    debounceMs,
    lamps: o.lamps,
    drain: {
      backlogValues: copies * backlog.values, backlogMessages, valuesDrained, messagesDrained: leftAtFirst - leftAtLast,
      valuesPerS: valuesDrained / windowS, leftAtFirst, leftAtLast, drainRatePerS: rate,
    },
    samplesMs: { idle: idle.counted.map(latency), draining: draining.counted.map(latency) },
    edges: { idle: idle.edges.length, draining: draining.edges.length },
    unmatched: { idle: unmatched(idle), draining: unmatched(draining) },
  };
}
