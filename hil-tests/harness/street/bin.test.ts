import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { EdgeEvent } from '../../../firmware/hal/pins.js';
import { MockHal } from '../mock-hal.js';
import { VirtualClock } from '../virtual-clock.js';
import { SimulatedStreet } from './simulated-street.js';
import type { StreetDevice } from './simulated-street.js';

const HOUR = 3600000;
const MIN = 60000;
/** The clock starts at 00:00 UTC = 02:00 local, so local hour h is monotonic (h - 2) hours. */
const local = (h: number, day = 0) => (day * 24 + h - 2) * HOUR;

function bin(i: number): StreetDevice {
  return { id: `bin${i}`, kind: 'bin', x: 20 * i, pins: { trigger: `T${i}`, echo: `E${i}`, lid: `L${i}`, temp: `C${i}` } };
}

function binStreet(count: number, seed = 31, extra: { binEmptyCm?: number; binFullCm?: number } = {}) {
  const clock = new VirtualClock();
  const hal = new MockHal(clock);
  const devices = Array.from({ length: count }, (_, i) => bin(i));
  const street = new SimulatedStreet({ clock, hal, devices, seed, intensity: 0, ...extra });
  street.start();
  return { clock, hal, street, devices };
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

test('each bin is emptied once a day between 06:00 and 07:00, down to a few percent', () => {
  const { clock, street, devices } = binStreet(8);
  clock.advance(72 * HOUR);
  for (const d of devices) {
    const times = street.truth.emptyingTimes(d.id);
    assert.is(times.length, 3, `${d.id}: ${times.length} emptyings`);
    times.forEach((t, day) => {
      assert.ok(t >= local(6, day) && t <= local(7, day), `${d.id} emptied at local ${t / HOUR + 2} h`);
      assert.ok(street.truth.fillAt(d.id, t) <= 3);
    });
  }
});

test('bins fill up through the day, faster around lunch than in the small hours', () => {
  const { clock, street, devices } = binStreet(8, 32);
  clock.advance(24 * HOUR);
  let lunch = 0;
  let night = 0;
  for (const d of devices) {
    const fill = (h: number) => street.truth.fillAt(d.id, local(h));
    assert.ok(fill(21) > fill(8) + 15, `${d.id}: ${fill(8)} % at 08:00, ${fill(21)} % at 21:00`);
    lunch += fill(14) - fill(11);
    night += fill(5) - fill(2);
  }
  assert.ok(lunch > 4 * night, `lunch +${lunch} %, small hours +${night} %`);
});

test('the echo width is 2 × distance / speed of sound at the bin temperature', () => {
  const { clock, hal, street } = binStreet(1, 33, { binEmptyCm: 100, binFullCm: 20 });
  const sonar = hal.pulseIn({ trigger: 'T0', echo: 'E0', triggerUs: 10, timeoutMs: 30 });
  let checked = 0;
  for (let t = HOUR; t < 20 * HOUR; t += 37 * MIN) {
    clock.advanceTo(t);
    const snap = street.snapshot().devices[0]!;
    if (snap.kind !== 'bin' || snap.lidOpen) continue;
    const widths: number[] = [];
    for (let i = 0; i < 15; i++) {
      sonar.measure((us) => widths.push(us));
      clock.advance(31);
    }
    const c = (331.3 + 0.606 * snap.temperatureC) / 1e4; // cm/µs
    const distance = 100 - (snap.fillPct / 100) * (100 - 20);
    const expected = (2 * distance) / c;
    assert.ok(Math.abs(median(widths) - expected) < 2 / c, `median ${median(widths)} µs, expected ${expected} µs`);
    checked++;
  }
  assert.ok(checked > 20);
  // A fire heats the air by 30 °C: the echo must shorten with the faster sound (~5 %).
  street.igniteBin('bin0');
  clock.advance(3 * MIN);
  const hot = street.snapshot().devices[0]!;
  assert.ok(hot.kind === 'bin' && !hot.lidOpen && hot.temperatureC > 40);
  const widths: number[] = [];
  for (let i = 0; i < 15; i++) {
    sonar.measure((us) => widths.push(us));
    clock.advance(31);
  }
  const c = (331.3 + 0.606 * hot.temperatureC) / 1e4;
  const expected = (2 * (100 - (hot.fillPct / 100) * 80)) / c;
  assert.ok(Math.abs(median(widths) - expected) < 2 / c, `hot: median ${median(widths)} µs, expected ${expected} µs`);
});

test('while the lid is open the ultrasonic gets short echoes or none', () => {
  const { clock, hal } = binStreet(1, 34);
  const sonar = hal.pulseIn({ trigger: 'T0', echo: 'E0', triggerUs: 10, timeoutMs: 30 });
  const lid: EdgeEvent[] = [];
  hal.digitalIn({ pin: 'L0', edge: 'both', debounceMs: 0, onEdge: (e) => lid.push(e) });
  let openSamples = 0;
  for (let t = 0; t < 24 * HOUR && openSamples < 40; t += 1000) {
    clock.advanceTo(t);
    if (hal.level('L0') !== 1) continue;
    let us = NaN;
    sonar.measure((w) => (us = w));
    clock.advance(31);
    assert.ok(us === -1 || us < (2 * 16) / 0.033, `echo ${us} µs with the lid open`);
    openSamples++;
  }
  assert.ok(openSamples >= 40, `only ${openSamples} samples with the lid open`);
  // Lid openings last seconds and are well apart.
  for (let i = 1; i < lid.length; i++) assert.ok(lid[i]!.time - lid[i - 1]!.time >= 1000);
});

test('a fire raises the temperature pin by 30 °C over two minutes and is recorded', () => {
  const { clock, hal, street } = binStreet(2, 35);
  const temp = hal.analogIn({ pin: 'C1' });
  const celsius = () => {
    let sum = 0;
    for (let i = 0; i < 20; i++) sum += temp.read() * 165 - 40; // default calibration
    return sum / 20;
  };
  clock.advanceTo(10 * HOUR);
  const before = celsius();
  assert.ok(before > 12 && before < 29, `ambient ${before} °C`);
  street.igniteBin('bin1');
  clock.advance(MIN);
  const halfway = celsius();
  clock.advance(MIN);
  const full = celsius();
  assert.ok(Math.abs(halfway - before - 15) < 1.5, `after 1 min +${halfway - before} °C`);
  assert.ok(Math.abs(full - before - 30) < 1.5, `after 2 min +${full - before} °C`);
  assert.equal(street.truth.fireTimes('bin1'), [10 * HOUR]);
  assert.equal(street.truth.fireTimes('bin0'), []);
});

test.run();
