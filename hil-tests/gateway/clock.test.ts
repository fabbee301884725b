/**
 * The gateway and its wall clock (issue 8): a Pi without an RTC boots in 1970 and NTP sets the
 * clock later, or steps it by minutes. Intervals run on monotonic time; nothing goes upstream
 * stamped 1970; what was measured before the clock was trusted is re-based when it is; and
 * hold timers and schedules neither fire early nor late when the wall clock jumps.
 */
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadSite } from '../../device-profiles/index.js';
import { decodeBatch } from '../../gateway/batch/decode.js';
import type { DecodedBatch } from '../../gateway/batch/format.js';
import { Gateway } from '../../gateway/gateway.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { topicsFor } from '../../gateway/uplink/topics.js';
import { ROOT } from '../cli/run-kerb.js';
import { boardPin, deviceBoard } from '../harness/device-board.js';
import { MockHal } from '../harness/mock-hal.js';
import { VirtualClock } from '../harness/virtual-clock.js';

const NIGHT = Date.UTC(2026, 5, 21, 21, 10); // 23:10 in Amsterdam
const TRUSTED = Date.UTC(2026, 0, 1);

function bench(startWall: number, synced: boolean) {
  const r = loadSite(path.join(ROOT, 'hil-tests', 'gateway', 'small-street.yaml'), { profilesDir: path.join(ROOT, 'device-profiles') });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const s = r.value;
  const clock = new VirtualClock({ startWall, synced });
  const hal = new MockHal(clock);
  const sent: Array<{ topic: string; batch: DecodedBatch; at: number }> = [];
  const { log, records } = memoryLogger();
  const devices = s.devices.filter((d) => d.transport.type === 'mock');
  const gateway = new Gateway({
    site: s.site, gateway: s.gateway, devices, clock, epoch: 1, log, topics: topicsFor(s.site, s.gateway),
    sink: { send: (topic, payload) => sent.push({ topic, batch: decodeBatch(payload), at: clock.now() }) > 0 },
    halFor: (d) => deviceBoard(hal, d.id),
  });
  hal.setAnalog(boardPin('park-01', 'A1'), (45 + 200) / 400);
  hal.setAnalog(boardPin('bin-01', 'A2'), (20 + 40) / 165);
  hal.setEcho(boardPin('bin-01', 'D8'), () => (2 * 118) / 0.03434);
  return { clock, hal, sent, gateway, records };
}

function allTimes(b: DecodedBatch): number[] {
  return [...b.series.flatMap((x) => [x.start, x.start + x.durationMs]), ...b.events.map((e) => e.time)];
}

test('booted in 1970: nothing goes upstream until NTP sets the clock, then everything, re-based', () => {
  const { clock, hal, sent, gateway, records } = bench(0, false);
  gateway.start();
  clock.advance(90_000);
  hal.setAnalog(boardPin('park-01', 'A1'), (110 + 200) / 400); // a car arrives at 90 s
  clock.advance(60_000);
  hal.setAnalog(boardPin('bin-01', 'A2'), (90 + 40) / 165); // fire at 150 s: an alert
  clock.advance(150_000);
  assert.is(sent.length, 0, 'nothing left stamped 1970');
  assert.ok(gateway.stats().heldForClock >= 4, `held ${gateway.stats().heldForClock}`);
  assert.ok(records.some((r) => r.event === 'clock.untrusted'));

  const syncedAt = clock.now(); // 300 s after boot
  clock.setWall(NIGHT); // NTP answers: 23:10 now
  clock.advance(5_000);
  assert.ok(sent.length >= 4, 'the held batches went out within seconds');
  for (const s of sent) for (const t of allTimes(s.batch)) assert.ok(t >= TRUSTED, `${s.topic}: ${new Date(t).toISOString()}`);
  // Re-based: the car came 210 s before NTP answered, so it is stamped 210 s before 23:10 (plus
  // the confirmation delay the profile asks for); the windows keep their monotonic lengths.
  const occupied = sent.flatMap((s) => s.batch.events).find((e) => e.name === 'occupied');
  assert.ok(occupied, 'the arrival was kept');
  const arrivalWall = NIGHT - (syncedAt - 90_000);
  assert.ok(occupied!.time >= arrivalWall && occupied!.time <= arrivalWall + 60_000, new Date(occupied!.time).toISOString());
  const fire = sent.find((s) => s.topic.endsWith('/alert'));
  assert.ok(fire, 'the alert was held, not lost');
  assert.ok(Math.abs(fire!.batch.events[0]!.time - (NIGHT - (syncedAt - 150_000))) <= 30_000);
  const windows = sent.flatMap((s) => s.batch.series).filter((x) => x.device === 'park-01' && x.metric === 'occupied');
  for (const w of windows) assert.ok(w.durationMs > 0 && w.durationMs <= 60_001);
  assert.ok(records.some((r) => r.event === 'clock.trusted'));
  gateway.stop();
});

test('a clock stepped by +5 and -5 minutes moves the stamps with it, never the windows or the hold timer', () => {
  const { clock, hal, sent, gateway } = bench(NIGHT, true);
  gateway.start();
  clock.advance(61_000); // the schedule's first check: night
  const driver = boardPin('lamp-01', 'D3');
  hal.setLevel(boardPin('lamp-01', 'D2'), 1);
  clock.advance(100);
  hal.setLevel(boardPin('lamp-01', 'D2'), 0);
  const motionEnd = clock.now();
  assert.is(hal.duty(driver), 1, 'full on motion');
  clock.setWall(clock.wallTime() + 5 * 60_000); // NTP steps forward 5 minutes
  // holdS 30 with a 3 s fade: full until 27 s after the motion, back at base level by 30 s.
  clock.advanceTo(motionEnd + 26_900);
  assert.is(hal.duty(driver), 1, 'not early: still full at 26.9 s');
  clock.advanceTo(motionEnd + 30_100);
  assert.is(hal.duty(driver), 0.2, 'not late: at base level by 30.1 s');
  clock.setWall(clock.wallTime() - 5 * 60_000); // and back
  hal.setLevel(boardPin('lamp-01', 'D2'), 1);
  clock.advance(100);
  hal.setLevel(boardPin('lamp-01', 'D2'), 0);
  const second = clock.now();
  clock.advanceTo(second + 26_900);
  assert.is(hal.duty(driver), 1);
  clock.advanceTo(second + 30_100);
  assert.is(hal.duty(driver), 0.2);
  clock.advance(120_000);
  gateway.stop();
  const windows = sent.flatMap((s) => s.batch.series).filter((x) => x.device === 'lamp-01');
  assert.ok(windows.length > 0);
  for (const w of windows) assert.ok(w.durationMs > 0 && w.durationMs <= 60_001, `a window of ${w.durationMs} ms`);
});

test('a lamp\'s sun schedule follows a stepped clock at its next check: not five minutes early or late', () => {
  // Sunset in Amsterdam on 21 June 2026 is about 20:0x local (18:0x UTC); start well before it.
  const evening = Date.UTC(2026, 5, 21, 17, 0);
  const { clock, hal, gateway } = bench(evening, true);
  gateway.start();
  clock.advance(61_000);
  const driver = boardPin('lamp-01', 'D3');
  assert.is(hal.duty(driver), 0, 'day: off');
  // Find the schedule's switch-on time on an unstepped clock, minute by minute.
  let onAt = 0;
  for (let i = 0; i < 240 && onAt === 0; i++) {
    clock.advance(60_000);
    if (hal.duty(driver) > 0) onAt = clock.wallTime();
  }
  assert.ok(onAt > 0, 'the lamp came on at dusk');
  gateway.stop();

  // The same evening, with the clock 5 minutes slow and corrected 20 minutes before dusk.
  const b = bench(evening - 5 * 60_000, true);
  b.gateway.start();
  while (b.clock.wallTime() < onAt - 25 * 60_000) b.clock.advance(60_000);
  b.clock.setWall(b.clock.wallTime() + 5 * 60_000);
  let stepOnAt = 0;
  for (let i = 0; i < 60 && stepOnAt === 0; i++) {
    b.clock.advance(60_000);
    if (b.hal.duty(driver) > 0) stepOnAt = b.clock.wallTime();
  }
  assert.ok(Math.abs(stepOnAt - onAt) <= 60_000, `on at ${new Date(stepOnAt).toISOString()}, unstepped ${new Date(onAt).toISOString()}`);
  b.gateway.stop();
});

test('still untrusted at shutdown: the held batches are named as not sent, never stamped 1970', () => {
  const { clock, sent, gateway, records } = bench(0, false);
  gateway.start();
  clock.advance(130_000);
  gateway.stop();
  assert.is(sent.length, 0);
  const said = records.find((r) => r.event === 'clock.untrusted-at-stop');
  assert.ok(said && (said.batches as number) >= 2, JSON.stringify(said));
});

test.run();
