/**
 * A gateway restarted before its wall clock was ever set (a Pi without RTC, NTP out of reach,
 * systemd restarting the service or an upgrade, or a crash): what the first process held goes out
 * from the second once NTP answers, stamped as if no restart had happened; after a reboot it
 * cannot be stamped, and the log says so instead of sending it in 1970.
 */
import fs from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeBatch } from '../../gateway/batch/decode.js';
import type { DecodedBatch } from '../../gateway/batch/format.js';
import { startEmbeddedBroker } from '../../gateway/broker/embedded-broker.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { GatewayService } from '../../gateway/service/gateway-service.js';
import { HELD_FILE, type MonotonicFrame } from '../../gateway/state/held-for-clock.js';
import { topicsFor } from '../../gateway/uplink/topics.js';
import { ROOT } from '../cli/run-kerb.js';
import { boardPin, deviceBoard } from '../harness/device-board.js';
import { MockHal } from '../harness/mock-hal.js';
import { settle } from '../harness/run-clock.js';
import { tempDir } from '../harness/temp-dir.js';
import { VirtualClock } from '../harness/virtual-clock.js';
import { waitFor } from '../harness/wait-for.js';

const PROFILES = path.join(ROOT, 'device-profiles');
const NIGHT = Date.UTC(2026, 5, 21, 21, 10);
const TRUSTED = Date.UTC(2026, 0, 1);
const SITE = [
  'version: 1', 'site: restart-street', 'gateway: gw-restart', 'location: { latitude: 52.3676, longitude: 4.9041 }', 'devices:',
  '  - id: park-01\n    profile: parking-magnetometer\n    transport: { type: mock }',
  '  - id: bin-01\n    profile: bin-ultrasonic\n    transport: { type: mock }',
].join('\n') + '\n';

/** A gateway process whose monotonic clock started `originMs` after the machine booted. */
function frameAt(originMs: number, bootId: string): MonotonicFrame {
  return { bootId, toBoot: (t) => t + originMs, fromBoot: (ms) => ms - originMs };
}

async function street() {
  const dir = tempDir('kerb-held-restart');
  const siteFile = path.join(dir, 'site.yaml');
  fs.writeFileSync(siteFile, SITE);
  const broker = await startEmbeddedBroker();
  const topics = topicsFor('restart-street', 'gw-restart');
  const received: Array<{ topic: string; batch: DecodedBatch }> = [];
  const sub = mqtt.connect(broker.url, { protocolVersion: 4 });
  sub.on('message', (topic, payload) => {
    if (topic === topics.batch || topic === topics.alert) received.push({ topic, batch: decodeBatch(payload) });
  });
  await new Promise<void>((resolve, reject) => sub.once('connect', () => sub.subscribe(`${topics.prefix}/#`, { qos: 1 }, (e) => (e ? reject(e) : resolve()))));
  const dataDir = path.join(dir, 'data');
  /** One gateway process: its own clock (1970 until set), pins and log, on the data directory. */
  const process = (bootMs: number, bootId: string, data = dataDir) => {
    const clock = new VirtualClock({ startWall: bootMs, synced: false });
    const hal = new MockHal(clock);
    hal.setAnalog(boardPin('park-01', 'A1'), (45 + 200) / 400);
    hal.setAnalog(boardPin('bin-01', 'A2'), (20 + 40) / 165);
    hal.setEcho(boardPin('bin-01', 'D8'), () => (2 * 118) / 0.03434);
    const { log, records } = memoryLogger();
    const service = new GatewayService({
      siteFile, profilesDir: PROFILES, dataDir: data, brokerUrl: broker.url, version: 'test', clock, log,
      backends: () => ({ halFor: (d) => deviceBoard(hal, d.id), close: () => undefined }), monotonicFrame: frameAt(bootMs, bootId),
    }, GatewayService.loadSite(siteFile, PROFILES));
    const run = async (ms: number): Promise<void> => {
      for (let t = 0; t < ms; t += 5_000) {
        clock.advance(5_000);
        await settle();
      }
    };
    return { clock, hal, records, service, run };
  };
  const heldFile = path.join(dataDir, 'gw-restart', HELD_FILE);
  const close = async (): Promise<void> => {
    sub.end(true);
    await broker.close();
  };
  return { process, received, heldFile, dir, close };
}

/** The first process: started 10 s after boot, a car at 90 s, a fire at 150 s, stopped at 200 s. */
async function firstProcess(s: Awaited<ReturnType<typeof street>>, bootId: string, atCrash?: (held: number) => void) {
  const a = s.process(10_000, bootId);
  a.service.start();
  await a.run(90_000);
  a.hal.setAnalog(boardPin('park-01', 'A1'), (110 + 200) / 400);
  await a.run(60_000);
  a.hal.setAnalog(boardPin('bin-01', 'A2'), (90 + 40) / 165);
  await a.run(50_000);
  const held = a.service.gateway.stats().heldForClock;
  atCrash?.(held);
  await a.service.stop(1_000);
  return { a, held };
}

test('held batches outlive a restart within one boot and go out, correctly stamped, once NTP answers', async () => {
  const s = await street();
  try {
    await restartedWithinBoot(s);
  } finally {
    await s.close(); // a failed assertion must not leave the broker holding the run open
  }
});

async function restartedWithinBoot(s: Awaited<ReturnType<typeof street>>): Promise<void> {
  const { a, held } = await firstProcess(s, 'boot-1');
  assert.ok(held >= 4, `held ${held}`);
  const saved = a.records.find((r) => r.event === 'clock.held-kept');
  assert.ok(saved, 'the stop said where they are');
  assert.ok(Number(saved!.batches) > held, `${saved!.batches} kept`); // stop() closes the open windows too
  assert.not.ok(a.records.some((r) => r.event === 'clock.untrusted-at-stop'), 'nothing reported lost');
  assert.ok(fs.existsSync(s.heldFile));

  // The second process: started 400 s after boot, still in 1970.
  const b = s.process(400_000, 'boot-1');
  b.service.start();
  assert.ok(b.records.some((r) => r.event === 'clock.held-restored' && r.batches === saved!.batches));
  assert.ok(fs.existsSync(s.heldFile), 'still journaled: still held');
  await b.run(60_000);
  await settle();
  assert.is(s.received.length, 0, 'nothing left stamped 1970');
  const syncedAt = b.clock.now();
  b.clock.setWall(NIGHT); // NTP answers: 23:10 is 400 s + syncedAt after boot
  await b.run(10_000);
  await waitFor(() => s.received.some((r) => r.topic.endsWith('/alert')) && s.received.some((r) => r.batch.events.some((e) => e.name === 'occupied')), 'the first process\'s arrival and alert');
  const bootToWall = (bootMs: number): number => NIGHT - (400_000 + syncedAt - bootMs);
  for (const r of s.received) {
    for (const t of [...r.batch.series.map((x) => x.start), ...r.batch.events.map((e) => e.time)]) assert.ok(t >= TRUSTED, `${r.topic}: ${new Date(t).toISOString()}`);
  }
  // The car came 90 s into the first process, 100 s after boot (plus the confirmation delay the
  // profile asks for); the fire at 150 s, 160 s after boot.
  const occupied = s.received.flatMap((r) => r.batch.events).find((e) => e.name === 'occupied')!;
  assert.ok(occupied.time >= bootToWall(100_000) && occupied.time <= bootToWall(100_000) + 60_000, new Date(occupied.time).toISOString());
  const fire = s.received.find((r) => r.topic.endsWith('/alert'))!;
  assert.ok(Math.abs(fire.batch.events[0]!.time - bootToWall(160_000)) <= 30_000, new Date(fire.batch.events[0]!.time).toISOString());
  // The first process's windows start where it started: 10 s after boot.
  const earliest = Math.min(...s.received.flatMap((r) => r.batch.series.map((x) => x.start)));
  assert.is(earliest, bootToWall(10_000));
  await b.service.stop(2_000);
  assert.not.ok(fs.existsSync(s.heldFile), 'sent, so the journal is gone');
}

test('a crash before NTP loses only the windows still open: what was held is journaled and sent', async () => {
  const s = await street();
  try {
    // The data directory as a kill at 200 s leaves it: the journal as it was then, nothing
    // flushed or closed after (the open windows die with the process).
    const crashed = path.join(s.dir, 'crashed', 'gw-restart');
    let held = 0;
    await firstProcess(s, 'boot-1', (n) => {
      held = n;
      fs.mkdirSync(crashed, { recursive: true });
      fs.copyFileSync(s.heldFile, path.join(crashed, HELD_FILE));
    });
    assert.ok(held >= 4, `held ${held}`);
    const b = s.process(400_000, 'boot-1', path.dirname(crashed));
    b.service.start();
    assert.is(b.service.gateway.stats().heldForClock, held, 'every batch held at the crash is held again');
    await b.run(60_000);
    const syncedAt = b.clock.now();
    b.clock.setWall(NIGHT);
    await b.run(10_000);
    await waitFor(() => s.received.some((r) => r.topic.endsWith('/alert')), 'the first process\'s fire alert');
    const fire = s.received.find((r) => r.topic.endsWith('/alert'))!;
    assert.ok(Math.abs(fire.batch.events[0]!.time - (NIGHT - (400_000 + syncedAt - 160_000))) <= 30_000, new Date(fire.batch.events[0]!.time).toISOString());
    await b.service.stop(2_000);
    assert.not.ok(fs.existsSync(path.join(crashed, HELD_FILE)), 'sent, so the journal is gone');
  } finally {
    await s.close();
  }
});

test('after a reboot the held batches cannot be stamped: set aside and said, never sent in 1970', async () => {
  const s = await street();
  try {
    await restartedAfterReboot(s);
  } finally {
    await s.close();
  }
});

async function restartedAfterReboot(s: Awaited<ReturnType<typeof street>>): Promise<void> {
  await firstProcess(s, 'boot-1');
  const b = s.process(30_000, 'boot-2');
  b.service.start();
  const lost = b.records.find((r) => r.event === 'clock.held-unstampable');
  assert.ok(lost, 'logged');
  assert.is(lost!.level, 'error');
  assert.ok(fs.existsSync(`${s.heldFile}.boot-1`), 'kept aside');
  assert.is(b.service.gateway.stats().heldForClock, 0);
  b.clock.setWall(NIGHT);
  await b.run(70_000);
  await waitFor(() => s.received.length > 0, 'the new process\'s own batches');
  // The car and the fire were the first process's: neither comes from the second.
  assert.not.ok(s.received.some((r) => r.topic.endsWith('/alert')), 'no alert');
  assert.not.ok(s.received.some((r) => r.batch.events.some((e) => e.name === 'occupied')), 'no arrival');
  const earliest = Math.min(...s.received.flatMap((r) => r.batch.series.map((x) => x.start)));
  assert.ok(earliest >= NIGHT, `nothing from before this process: ${new Date(earliest).toISOString()}`);
  await b.service.stop(2_000);
}

test.run();
