import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MockHal } from '../mock-hal.js';
import { VirtualClock } from '../virtual-clock.js';
import { lightLevel, solarElevationDeg } from './light.js';
import { SimulatedStreet } from './simulated-street.js';

const AMS = { lat: 52.37, lon: 4.9 };

test('the sun stands about 61° high at Amsterdam on the June solstice noon and far below at midnight', () => {
  // Solar noon in Amsterdam is about 11:40 UTC; the elevation is 90 - 52.37 + 23.44 = 61.07°.
  const noon = solarElevationDeg(Date.UTC(2026, 5, 21, 11, 40), AMS.lat, AMS.lon);
  const midnight = solarElevationDeg(Date.UTC(2026, 5, 21, 23, 40), AMS.lat, AMS.lon);
  assert.ok(Math.abs(noon - 61.07) < 1, `noon ${noon}°`);
  assert.ok(midnight < -10 && midnight > -17, `midnight ${midnight}°`);
  const winter = solarElevationDeg(Date.UTC(2026, 11, 21, 11, 40), AMS.lat, AMS.lon);
  assert.ok(Math.abs(winter - 14.2) < 1, `winter noon ${winter}°`);
});

test('light level is dark below civil twilight and rises monotonically with the sun', () => {
  assert.is(lightLevel(-20), lightLevel(-6));
  let last = -1;
  for (let e = -10; e <= 70; e += 2) {
    assert.ok(lightLevel(e) >= last);
    last = lightLevel(e);
  }
  assert.ok(lightLevel(-10) < 0.05 && lightLevel(60) > 0.8);
});

test('a lamp light sensor reads dark at night and bright at noon, local time', () => {
  const clock = new VirtualClock({ startWall: Date.UTC(2026, 5, 21, 0, 0) });
  const hal = new MockHal(clock);
  const street = new SimulatedStreet({
    clock, hal, seed: 3, intensity: 0, devices: [{ id: 'lamp', kind: 'lamp', x: 0, pins: { pir: 'P', light: 'L' } }],
  });
  street.start();
  const light = hal.analogIn({ pin: 'L' });
  const night = light.read(); // 02:00 local
  clock.advance(11.5 * 3600000); // 13:30 local
  const noon = light.read();
  clock.advance(8.5 * 3600000); // 22:00 local, sunset was ~22:00
  const dusk = light.read();
  assert.ok(night < 0.06, `night ${night}`);
  assert.ok(noon > 0.6, `noon ${noon}`);
  assert.ok(dusk > night && dusk < noon, `dusk ${dusk}`);
});

test.run();
