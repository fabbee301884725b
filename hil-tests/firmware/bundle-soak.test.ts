/**
 * A virtual day on a node's bundle in the fake Espruino: regular activity, the gateway end
 * connected and re-sending its setup every hour, and the QuickJS heap sampled every hour. A
 * node that leaks a few objects per PIR edge or per frame runs out of its ~5000 vars within
 * days in the street; here that shows as growth between the morning's peak and the evening's.
 *
 * liveObjects() counts garbage cycles until QuickJS's collector runs (when the heap has grown
 * by half), so single samples saw-tooth; the test compares peaks over windows.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MIDDAY } from '../devices/lamp-config.js';
import { AMSTERDAM } from '../devices/rig.js';
import { quickJsModule } from '../harness/espruino/quickjs-vm.js';
import { Random } from '../harness/random.js';
import { bench, profileBuild, type Bench } from './node-bench.js';

const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
const WARM_UP_H = 2;
const DAY_H = 24;
/**
 * Allowed rise of the last 6 hours' peak over the peak of hours 2-8. Both windows see the same
 * kinds of work, so the same transient objects (a frame being encoded, an override's timer, a
 * garbage cycle not yet collected); what differs is which of them an hourly sample happens to
 * catch. Measured on these bundles the hourly samples move within 4 objects and 12 vars of each
 * other (and 400 overrides in a row settle back to where they started), so 10 objects and 25
 * vars (a small object with two properties and a string costs about 4) cover that jitter, while
 * a leak of one object per PIR edge (~300 a day), per frame or per heartbeat (~2900), or even
 * one per hour, does not fit in it.
 */
const MARGIN = { objects: 10, vars: 25 };

interface Sample {
  hour: number;
  objects: number;
  vars: number;
}

/** Runs a virtual day, calling `activity` at the start of each hour and sampling at its end. */
function day(b: Bench, activity: (hour: number) => void): Sample[] {
  const samples: Sample[] = [];
  for (let hour = 1; hour <= DAY_H; hour++) {
    // The gateway's driver re-sends the time and place every hour.
    b.gw.setup(b.clock.wallTime(), AMSTERDAM.latitude, AMSTERDAM.longitude);
    activity(hour);
    b.clock.advanceTo(hour * HOUR);
    samples.push({ hour, objects: b.node.liveObjects(), vars: b.node.memoryVars() });
  }
  return samples;
}

function peak(samples: Sample[], from: number, to: number, key: 'objects' | 'vars'): number {
  return Math.max(...samples.filter((s) => s.hour >= from && s.hour <= to).map((s) => s[key]));
}

function assertFlat(name: string, samples: Sample[]): void {
  const at = (h: number) => samples.find((s) => s.hour === h)!;
  console.log(`soak ${name}: live objects hour ${WARM_UP_H} ${at(WARM_UP_H).objects}, hour ${DAY_H} ${at(DAY_H).objects}; ` +
    `vars hour ${WARM_UP_H} ${at(WARM_UP_H).vars}, hour ${DAY_H} ${at(DAY_H).vars}`);
  for (const key of ['objects', 'vars'] as const) {
    const early = peak(samples, WARM_UP_H, 8, key);
    const late = peak(samples, DAY_H - 5, DAY_H, key);
    const series = samples.map((s) => s[key]).join(' ');
    assert.ok(late <= early + MARGIN[key], `${name} ${key}: peak of the last 6 h ${late} > peak of hours 2-8 ${early} + ${MARGIN[key]} (hourly: ${series})`);
  }
}

const benches: Bench[] = [];
test.before(async () => void (await quickJsModule()));
test.after.each(() => {
  for (const b of benches.splice(0)) b.stop();
});

test('a lamp node through a day, a night and PIR edges every few minutes keeps its live objects flat', () => {
  const rng = new Random(2024);
  const b = bench({ build: profileBuild('lamp-pir-pwm', 'lamp-07'), startWall: MIDDAY });
  benches.push(b);
  const pir = b.build.pins.pir;
  let edges = 0;
  let overrides = 0;
  const samples = day(b, (hour) => {
    const end = hour * HOUR;
    // Someone passes every 2-6 minutes, the PIR high for 2-5 s.
    for (let t = b.clock.now() + rng.int(2 * MIN, 6 * MIN); t < end - 10 * S; t += rng.int(2 * MIN, 6 * MIN)) {
      b.clock.advanceTo(t);
      b.hal.setLevel(pir, 1);
      edges++;
      b.clock.advance(rng.int(2 * S, 5 * S));
      b.hal.setLevel(pir, 0);
    }
    if (hour % 6 === 0) {
      b.gw.command({ name: 'override', args: { level: 0.8, durationS: 120 } });
      overrides++;
    }
  });
  assertFlat('lamp-pir-pwm', samples);
  assert.equal(b.node.errors, [], 'no uncaught errors');
  assert.equal(b.node.resets, [], 'no resets');
  assert.is(b.gw.values('motion').length, edges, 'every PIR edge reached the gateway');
  assert.is(b.gw.results.filter((r) => r.code === 'OK').length, overrides, 'every override was applied');
  const modes = new Set(b.gw.values('mode'));
  assert.ok(modes.size >= 2, 'the lamp went through day and night');
  assert.is(b.gw.state?.dropped, 0);
});

test('a parking node with a car arriving and leaving every hour keeps its live objects flat', () => {
  const rng = new Random(77);
  const b = bench({ build: profileBuild('parking-magnetometer', 'bay-12') });
  benches.push(b);
  const field = b.build.pins.field;
  // The profile's calibration: raw 0..1 is -200..200 µT.
  const raw = (uT: number) => (uT + 200) / 400;
  let uT = 48; // the earth's field at the sensor
  b.hal.setAnalog(field, () => raw(uT + rng.normal(0, 0.5)));
  let cars = 0;
  const samples = day(b, (hour) => {
    b.clock.advanceTo((hour - 1) * HOUR + rng.int(5 * MIN, 15 * MIN));
    uT = 48 + rng.int(25, 45); // a car parks
    cars++;
    b.clock.advanceTo((hour - 1) * HOUR + rng.int(35 * MIN, 50 * MIN));
    uT = 48; // and leaves
  });
  assertFlat('parking-magnetometer', samples);
  assert.equal(b.node.errors, [], 'no uncaught errors');
  assert.equal(b.node.resets, [], 'no resets');
  assert.is(b.gw.events('occupied').length, cars, 'every car was seen arriving');
  assert.is(b.gw.events('free').length, cars, 'and leaving');
  assert.is(b.gw.state?.dropped, 0);
});

test.run();
