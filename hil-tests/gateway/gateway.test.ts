/**
 * The gateway pipeline on mock boards and the virtual clock: what goes out when, on which topic,
 * and that nothing accepted is lost at shutdown.
 */
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadSite } from '../../device-profiles/index.js';
import type { Site } from '../../device-profiles/types.js';
import { decodeBatch } from '../../gateway/batch/decode.js';
import type { DecodedBatch } from '../../gateway/batch/format.js';
import { Gateway } from '../../gateway/gateway.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { topicsFor } from '../../gateway/uplink/topics.js';
import { boardPin, deviceBoard } from '../harness/device-board.js';
import { MockHal } from '../harness/mock-hal.js';
import { VirtualClock } from '../harness/virtual-clock.js';
import { ROOT } from '../cli/run-kerb.js';

const NIGHT = Date.UTC(2026, 5, 21, 21, 10); // 23:10 in Amsterdam

function site(): Site {
  const r = loadSite(path.join(ROOT, 'hil-tests', 'gateway', 'small-street.yaml'), { profilesDir: path.join(ROOT, 'device-profiles') });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

function setup(startWall = NIGHT, synced = true, drops?: () => Record<string, number>, onDropsReported?: () => void, compression?: 'deflate') {
  const clock = new VirtualClock({ startWall, synced });
  const hal = new MockHal(clock);
  const sent: Array<{ topic: string; batch: DecodedBatch; at: number }> = [];
  const s = site();
  const { log, records } = memoryLogger();
  const gateway = new Gateway({
    site: s.site, gateway: s.gateway, devices: s.devices, clock, epoch: 4, log, topics: topicsFor(s.site, s.gateway),
    sink: { send: (topic, payload) => sent.push({ topic, batch: decodeBatch(payload), at: clock.now() }) > 0 },
    ...(drops ? { drops } : {}), ...(onDropsReported ? { onDropsReported } : {}), ...(compression ? { compression } : {}),
    halFor: (d) => {
      if (d.transport.type !== 'mock') throw new Error(`transport '${d.transport.type}' is not hosted in this test`);
      return deviceBoard(hal, d.id);
    },
  });
  // A quiet street: free parking field (about 45 µT), an empty bin at 20 °C, lid closed.
  hal.setAnalog(boardPin('park-01', 'A1'), (45 + 200) / 400);
  hal.setAnalog(boardPin('bin-01', 'A2'), (20 + 40) / 165);
  hal.setEcho(boardPin('bin-01', 'D8'), () => (2 * 118) / 0.03434);
  return { clock, hal, sent, gateway, records };
}

test('a device on a transport this host cannot drive is reported, and the others run', () => {
  const { gateway, records } = setup();
  gateway.start();
  assert.equal(gateway.failedDevices().map((f) => f.id), ['lamp-gpio']);
  assert.equal(gateway.devices().map((d) => d.id).sort(), ['bin-01', 'lamp-01', 'park-01']);
  assert.ok(records.some((r) => r.event === 'device.start-failed' && r.device === 'lamp-gpio'));
  gateway.stop();
});

test('with compression the gateway sends every batch deflated, windows and alerts alike', () => {
  const { clock, hal, sent, gateway } = setup(NIGHT, true, undefined, undefined, 'deflate');
  gateway.start();
  hal.setAnalog(boardPin('bin-01', 'A2'), (90 + 40) / 165); // 90 °C: fire
  clock.advance(120_000);
  gateway.stop();
  const topics = new Set(sent.map((s) => s.topic.split('/').pop()));
  assert.equal([...topics].sort(), ['alert', 'batch']);
  assert.ok(sent.every((s) => s.batch.compression === 'deflate'));
  assert.ok(sent.some((s) => s.batch.series.some((x) => x.device === 'park-01' && x.metric === 'occupied')), 'windows arrive through the deflated body');
});

test('an alert goes out at once on the alert topic, without waiting for the window', () => {
  const { clock, hal, sent, gateway } = setup();
  gateway.start();
  clock.advance(1_000);
  hal.setAnalog(boardPin('bin-01', 'A2'), (90 + 40) / 165); // 90 °C: fire
  clock.advance(35_000); // the next temperature sample
  const alerts = sent.filter((s) => s.topic.endsWith('/alert'));
  assert.is(alerts.length, 1);
  const [fire] = alerts[0]!.batch.events;
  assert.equal([fire!.device, fire!.name, fire!.severity], ['bin-01', 'fire', 'alert']);
  assert.ok(alerts[0]!.at < 60_000, 'before the first window closed');
  clock.advance(60_000);
  const batchEvents = sent.filter((s) => s.topic.endsWith('/batch')).flatMap((s) => s.batch.events);
  assert.not.ok(batchEvents.some((e) => e.name === 'fire'), 'not repeated in the regular batch');
  gateway.stop();
});

test('info events ride with the next batch, and seq runs across both topics', () => {
  const { clock, hal, sent, gateway } = setup();
  gateway.start();
  clock.advance(30_000);
  hal.setAnalog(boardPin('park-01', 'A1'), (110 + 200) / 400); // a car: +65 µT
  clock.advance(60_000);
  const occupied = sent.flatMap((s) => s.batch.events.map((e) => ({ e, topic: s.topic }))).find((x) => x.e.name === 'occupied');
  assert.ok(occupied, 'the arrival was reported');
  assert.match(occupied!.topic, /\/batch$/);
  assert.equal(sent.map((s) => s.batch.seq), sent.map((_, i) => i + 1));
  assert.ok(sent.every((s) => s.batch.epoch === 4 && s.batch.gateway === 'gw-small'));
  gateway.stop();
});

test('stop() sends the windows still open, so nothing accepted is lost', () => {
  const { clock, hal, sent, gateway } = setup();
  gateway.start();
  clock.advance(10_000);
  hal.setLevel(boardPin('lamp-01', 'D2'), 1);
  clock.advance(2_000);
  hal.setLevel(boardPin('lamp-01', 'D2'), 0);
  clock.advance(3_000);
  assert.is(sent.length, 0, 'no window has closed yet');
  gateway.stop();
  const motion = sent.flatMap((s) => s.batch.series).find((s) => s.device === 'lamp-01' && s.metric === 'motion');
  assert.is(motion?.sum, 1);
  assert.is(motion?.durationMs, 15_000);
});

test('an event seen before the clock was set is stamped with the corrected time when published', () => {
  const { clock, hal, sent, gateway } = setup(0, false); // a Pi without RTC: 1970
  gateway.start();
  clock.advance(30_000);
  hal.setAnalog(boardPin('park-01', 'A1'), (110 + 200) / 400);
  clock.advance(25_000); // occupied confirmed after 20 s, before the window closes
  clock.setWall(NIGHT); // NTP answers
  clock.advance(10_000);
  const occupied = sent.flatMap((s) => s.batch.events).find((e) => e.name === 'occupied');
  assert.ok(occupied);
  assert.ok(occupied!.time > Date.UTC(2026, 0, 1), `stamped ${new Date(occupied!.time).toISOString()}`);
  gateway.stop();
});

test('drop counts go upstream in the next batch whenever they change, and only then', () => {
  const counts: Record<string, number> = { 'telemetry-full': 0, refused: 0 };
  let reported = 0;
  const { clock, sent, gateway } = setup(NIGHT, true, () => counts, () => reported++);
  gateway.start();
  clock.advance(60_000);
  assert.is(sent.at(-1)!.batch.drops, undefined, 'nothing dropped, nothing said');
  counts['telemetry-full'] = 7;
  clock.advance(60_000);
  assert.equal(sent.at(-1)!.batch.drops, { 'telemetry-full': 7 });
  assert.is(reported, 1, 'the status is refreshed too');
  clock.advance(60_000);
  assert.is(sent.at(-1)!.batch.drops, undefined, 'unchanged counts are not repeated');
  counts.refused = 1;
  clock.advance(60_000);
  assert.equal(sent.at(-1)!.batch.drops, { 'telemetry-full': 7, refused: 1 });
  gateway.stop();
});

test.run();
