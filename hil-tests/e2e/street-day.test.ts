/**
 * End to end: the demo street for 24 virtual hours through the real gateway, the real uplink and
 * a real MQTT broker over TCP. A subscriber decodes what arrives and the result is held against
 * the simulation's ground truth: motion per lamp, occupancy changes per space, bin fill levels,
 * full alerts, day and night, and gap-free sequencing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import mqtt from 'mqtt';
import { loadSite } from '../../device-profiles/index.js';
import type { Site } from '../../device-profiles/types.js';
import { decodeBatch } from '../../gateway/batch/decode.js';
import type { DecodedBatch } from '../../gateway/batch/format.js';
import { startEmbeddedBroker } from '../../gateway/broker/embedded-broker.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { Outbox } from '../../gateway/uplink/outbox.js';
import { siteUplink } from '../../gateway/uplink/site-uplink.js';
import { topicsFor } from '../../gateway/uplink/topics.js';
import { buildRig } from '../harness/street-rig.js';
import { waitFor } from '../harness/wait-for.js';

const HOUR = 3_600_000;
const UTC_OFFSET_MIN = 120;
/** Local midnight on the street, 2026-06-21 (Amsterdam, UTC+2). */
const START_WALL = Date.UTC(2026, 5, 21, 0, 0) - UTC_OFFSET_MIN * 60_000;

interface DayRun {
  site: Site;
  batches: DecodedBatch[];
  statuses: Array<Record<string, unknown>>;
  truth: ReturnType<typeof buildRig>['street']['truth'];
  made: number;
  endMono: number;
  /** The mock Firmata boards behind firmata lamps: boots seen, the driver pin's Firmata mode. */
  firmata: Array<{ boots: number; pwmMode: number | undefined }>;
}

async function runDay(): Promise<DayRun> {
  const loaded = loadSite('examples/demo-street.yaml', { profilesDir: 'device-profiles' });
  if (!loaded.ok) throw new Error('the demo street must load');
  const site = loaded.value;
  const broker = await startEmbeddedBroker();
  const topics = topicsFor(site.site, site.gateway);
  const batches: DecodedBatch[] = [];
  const statuses: Array<Record<string, unknown>> = [];
  const sub = mqtt.connect(broker.url, { protocolVersion: 4 });
  sub.on('message', (topic, payload) => {
    if (topic === topics.batch || topic === topics.alert) batches.push(decodeBatch(payload));
    if (topic === topics.status) statuses.push(JSON.parse(payload.toString()));
  });
  await new Promise<void>((resolve, reject) => sub.once('connect', () => sub.subscribe(`${topics.prefix}/#`, { qos: 1 }, (e) => (e ? reject(e) : resolve()))));

  const { log } = memoryLogger();
  const uplink = siteUplink({ url: broker.url, site: site.site, gateway: site.gateway, epoch: 1, version: 'test', log, queue: new Outbox() });
  uplink.start();
  const rig = buildRig({ site, seed: 2026, startWall: START_WALL, sink: uplink, epoch: 1, log, utcOffsetMin: UTC_OFFSET_MIN });
  rig.street.start();
  rig.gateway.start();
  for (let t = 0; t < 24 * HOUR; t += 10 * 60_000) {
    rig.clock.advance(10 * 60_000);
    await new Promise((resolve) => setImmediate(resolve)); // let the uplink and the broker work
  }
  rig.street.stop();
  rig.gateway.stop();
  const made = rig.gateway.stats().batches;
  await waitFor(() => batches.length >= made, `${made} batches at the subscriber`, 30_000);
  await uplink.stop();
  sub.end(true);
  await broker.close();
  const firmata = [...rig.firmataBoards.values()].map((b) => ({ boots: b.boots, pwmMode: b.mode('3') }));
  return { site, batches, statuses, truth: rig.street.truth, made, endMono: rig.clock.now(), firmata };
}

let day: DayRun;

test.before(async () => {
  day = await runDay();
});

const wallToMono = (wall: number): number => wall - START_WALL;

/**
 * The changes a sensor with a confirmation delay can report: a state that lasted less than the
 * delay (a car leaving and the next one arriving 30 s later) is, by design, never reported.
 */
function observable<T extends { time: number }>(changes: T[], minDurationMs: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < changes.length; i++) {
    const next = changes[i + 1];
    if (next !== undefined && next.time - changes[i]!.time < minDurationMs) {
      i++; // this state and its end cancel out
      continue;
    }
    out.push(changes[i]!);
  }
  return out;
}

test('every batch carries gateway, epoch and seq, and seq runs without gaps or repeats', () => {
  const seqs = day.batches.map((b) => b.seq).sort((a, b) => a - b);
  assert.is(seqs.length, day.made);
  assert.equal(seqs, Array.from({ length: day.made }, (_, i) => i + 1));
  for (const b of day.batches) {
    assert.is(b.gateway, 'gw-demo-01');
    assert.is(b.site, 'demo-street');
    assert.is(b.epoch, 1);
  }
});

test('the retained status said online, and offline once the gateway stopped', () => {
  assert.ok(day.statuses.length >= 2, `${day.statuses.length} status messages`);
  assert.equal(day.statuses[0], { ...day.statuses[0], state: 'online', site: 'demo-street', gateway: 'gw-demo-01', epoch: 1 });
  assert.is(day.statuses[day.statuses.length - 1]!.state, 'offline');
});

test('lamp-05 runs on the johnny-five backend over a Firmata board, and dims its driver by PWM', () => {
  assert.is(day.site.devices.find((d) => d.id === 'lamp-05')!.transport.type, 'firmata');
  assert.equal(day.firmata, [{ boots: 1, pwmMode: 3 }], 'one board, booted once, pin 3 in Firmata PWM mode (3)');
});

test('motion counted per lamp equals the PIR pulses the street produced', () => {
  const lamps = day.site.devices.filter((d) => d.kind === 'lamp');
  let total = 0;
  for (const lamp of lamps) {
    let counted = 0;
    for (const b of day.batches) for (const s of b.series) if (s.device === lamp.id && s.metric === 'motion') counted += s.sum ?? 0;
    const truth = day.truth.motionCount(lamp.id, 0, day.endMono + 1);
    assert.is(counted, truth, `${lamp.id}: counted ${counted}, street made ${truth}`);
    total += truth;
  }
  assert.ok(total > 1000, `a day on the street has plenty of motion (${total})`);
});

test('occupancy events follow every real arrival and departure, each within the confirmation delay', () => {
  const spaces = day.site.devices.filter((d) => d.kind === 'parking');
  let changes = 0;
  for (const space of spaces) {
    const events = day.batches.flatMap((b) => b.events)
      .filter((e) => e.device === space.id && (e.name === 'occupied' || e.name === 'free'))
      .sort((a, b) => a.time - b.time);
    const confirmMs = space.kind === 'parking' ? space.config.confirmS * 1000 : 0;
    const sampleMs = space.kind === 'parking' ? space.config.sampleS * 1000 : 0;
    const truth = observable(day.truth.occupancyChanges(space.id), confirmMs + sampleMs);
    assert.is(events.length, truth.length, `${space.id}: ${events.length} events for ${truth.length} real changes`);
    truth.forEach((change, i) => {
      const e = events[i]!;
      assert.is(e.name, change.occupied ? 'occupied' : 'free', `${space.id} change ${i}`);
      const lag = wallToMono(e.time) - change.time;
      assert.ok(lag >= 0 && lag <= confirmMs + 2 * sampleMs + 10_000, `${space.id} change ${i} reported ${lag} ms after it happened`);
    });
    changes += truth.length;
  }
  assert.ok(changes > 50, `a day has many arrivals and departures (${changes})`);
});

test('bin fill levels agree with the true fill within 5 points', () => {
  const bins = day.site.devices.filter((d) => d.kind === 'bin');
  let compared = 0;
  for (const bin of bins) {
    for (const b of day.batches) {
      for (const s of b.series) {
        if (s.device !== bin.id || s.metric !== 'fill') continue;
        const atStart = day.truth.fillAt(bin.id, wallToMono(s.start));
        const atEnd = day.truth.fillAt(bin.id, wallToMono(s.start + s.durationMs));
        const err = Math.min(Math.abs(s.last! - atStart), Math.abs(s.last! - atEnd));
        assert.ok(err <= 5, `${bin.id} at ${new Date(s.start).toISOString()}: reported ${s.last} %, true ${atStart.toFixed(1)}..${atEnd.toFixed(1)} %`);
        compared++;
      }
    }
  }
  assert.ok(compared >= bins.length * 100, `fill was reported all day (${compared} windows)`);
});

test('a bin that really filled past its alert level raised a full alert, and no other bin did', () => {
  let alerted = 0;
  for (const bin of day.site.devices.filter((d) => d.kind === 'bin')) {
    const threshold = bin.kind === 'bin' ? bin.config.fullAlertPct : NaN;
    const peak = Math.max(...day.truth.fillHistory(bin.id).map((p) => p.pct));
    const alerts = day.batches.flatMap((b) => b.events).filter((e) => e.device === bin.id && e.name === 'full');
    if (peak >= threshold + 5) assert.ok(alerts.length >= 1, `${bin.id} reached ${peak.toFixed(1)} % without a full alert`);
    if (peak < threshold - 5) assert.is(alerts.length, 0, `${bin.id} peaked at ${peak.toFixed(1)} % yet raised ${alerts.length} full alerts`);
    for (const a of alerts) assert.ok(a.value >= threshold, `${bin.id} full alert at ${a.value} %, below its ${threshold} %`);
    alerted += alerts.length;
  }
  assert.ok(alerted > 0, 'some bin filled up during the day');
});

test('lamps spend the small hours lit and midday off', () => {
  const at = (localHour: number) => START_WALL + localHour * HOUR;
  for (const lamp of day.site.devices.filter((d) => d.kind === 'lamp')) {
    const modes = (from: number) => day.batches.flatMap((b) => b.series)
      .filter((s) => s.device === lamp.id && s.metric === 'mode' && s.start >= from && s.start < from + HOUR);
    const night = modes(at(1));
    const noon = modes(at(13));
    assert.ok(night.length >= 50 && noon.length >= 50, `${lamp.id} reported its mode every window`);
    assert.ok(night.every((s) => (s.durations?.day ?? 0) === 0), `${lamp.id} was off at 01:00`);
    assert.ok(noon.every((s) => s.durations?.day === s.durationMs), `${lamp.id} was on at 13:00`);
  }
});

test.run();
