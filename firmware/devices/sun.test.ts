import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sunTimes } from './sun.js';

const MIN = 60000;

function near(actual: number, expected: number, tolMin: number, what: string): void {
  const off = (actual - expected) / MIN;
  assert.ok(Math.abs(off) <= tolMin, `${what}: ${new Date(actual).toISOString()} is ${off.toFixed(1)} min from ${new Date(expected).toISOString()}`);
}

test('Amsterdam at the June solstice: sunrise 03:18 and sunset 20:06 UTC', () => {
  const s = sunTimes(Date.UTC(2026, 5, 21, 12), 52.37, 4.90);
  near(s.sunrise, Date.UTC(2026, 5, 21, 3, 18), 3, 'sunrise');
  near(s.sunset, Date.UTC(2026, 5, 21, 20, 6), 3, 'sunset');
  assert.not.ok(s.polarDay || s.polarNight);
});

test('London at the December solstice: sunrise 08:04 and sunset 15:53 UTC', () => {
  const s = sunTimes(Date.UTC(2026, 11, 21, 12), 51.5074, -0.1278);
  near(s.sunrise, Date.UTC(2026, 11, 21, 8, 4), 3, 'sunrise');
  near(s.sunset, Date.UTC(2026, 11, 21, 15, 53), 3, 'sunset');
});

test('the equator at the March equinox: 12 h plus refraction, centred on solar noon', () => {
  const s = sunTimes(Date.UTC(2026, 2, 20, 12), 0, 0);
  // equation of time is about -7.5 min in late March, so solar noon is near 12:07 UTC
  near(s.noon, Date.UTC(2026, 2, 20, 12, 7), 1, 'noon');
  near(s.sunrise, Date.UTC(2026, 2, 20, 6, 4), 3, 'sunrise');
  near(s.sunset, Date.UTC(2026, 2, 20, 18, 10), 3, 'sunset');
  near((s.sunrise + s.sunset) / 2, s.noon, 1, 'midpoint');
  const lengthMin = (s.sunset - s.sunrise) / MIN;
  assert.ok(lengthMin > 12 * 60 + 4 && lengthMin < 12 * 60 + 9, `day length ${lengthMin} min`);
});

test('Sydney in June: the local day starts on the previous UTC date (07:00 / 16:53 AEST)', () => {
  const s = sunTimes(Date.UTC(2026, 5, 21, 2), -33.87, 151.21);
  near(s.sunrise, Date.UTC(2026, 5, 20, 21, 0), 3, 'sunrise');
  near(s.sunset, Date.UTC(2026, 5, 21, 6, 53), 3, 'sunset');
});

test('any instant of the same local solar day gives the same times', () => {
  const a = sunTimes(Date.UTC(2026, 5, 21, 0, 5), 52.37, 4.90);
  const b = sunTimes(Date.UTC(2026, 5, 21, 23, 30), 52.37, 4.90);
  assert.is(a.sunrise, b.sunrise);
  assert.is(a.sunset, b.sunset);
});

test('Tromsø has polar day in June and polar night in December', () => {
  const june = sunTimes(Date.UTC(2026, 5, 21, 12), 69.65, 18.96);
  assert.ok(june.polarDay);
  assert.not.ok(june.polarNight);
  assert.ok(Number.isNaN(june.sunrise) && Number.isNaN(june.sunset));
  const dec = sunTimes(Date.UTC(2026, 11, 21, 12), 69.65, 18.96);
  assert.ok(dec.polarNight);
  assert.not.ok(dec.polarDay);
  assert.ok(Number.isNaN(dec.sunrise));
});

test.run();
