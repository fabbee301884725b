import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Random } from '../random.js';
import { VirtualClock } from '../virtual-clock.js';
import { DailyProfile, HOUR_MS, LocalTime, nextArrival } from './local-time.js';

test('local hour follows wall time plus the UTC offset, also across midnight', () => {
  const clock = new VirtualClock({ startWall: Date.UTC(2026, 5, 21, 22, 30) });
  const time = new LocalTime(clock, 120);
  assert.is(time.hourAt(0), 0.5);
  assert.is(time.hourAt(2 * HOUR_MS), 2.5);
  assert.is(new LocalTime(clock, -300).hourAt(0), 17.5);
});

test('nextAt finds the next time the local clock shows an hour, never now', () => {
  const clock = new VirtualClock({ startWall: Date.UTC(2026, 5, 21, 4, 0) }); // 06:00 local
  const time = new LocalTime(clock, 120);
  assert.is(time.nextAt(0, 6.5), 0.5 * HOUR_MS);
  assert.is(time.nextAt(0, 6), 24 * HOUR_MS);
  assert.is(time.nextAt(0, 5), 23 * HOUR_MS);
});

test('a daily profile interpolates between hours and wraps at midnight', () => {
  const hourly = Array.from({ length: 24 }, (_, h) => (h === 23 ? 10 : h === 0 ? 20 : 0));
  const p = new DailyProfile(hourly, 2);
  assert.is(p.at(0), 40);
  assert.is(p.at(23.5), 30);
  assert.is(p.at(0.5), 20);
  assert.is(p.peak, 40);
  assert.throws(() => new DailyProfile([1, 2, 3]), /24 hourly values/);
});

test('arrivals follow the profile: none where the rate is zero', () => {
  const clock = new VirtualClock({ startWall: Date.UTC(2026, 5, 21, 0, 0) }); // 00:00 UTC
  const time = new LocalTime(clock, 0);
  // Only 11:00–13:00 has traffic: rising to 10 an hour at 12:00 and back to 0 at 13:00.
  const hourly = Array.from({ length: 24 }, (_, h) => (h === 12 ? 10 : 0));
  const profile = new DailyProfile(hourly);
  const rng = new Random(1);
  let t = 0;
  let n = 0;
  for (let i = 0; i < 200; i++) {
    t = nextArrival(rng, t, profile, time)!;
    const h = time.hourAt(t);
    assert.ok(h > 11 && h < 13, `arrival at ${h} h`);
    n++;
  }
  assert.is(n, 200);
  assert.is(nextArrival(rng, 0, new DailyProfile(new Array(24).fill(0)), time), undefined);
});

test.run();
