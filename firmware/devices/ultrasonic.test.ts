import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { echoToCm, speedOfSoundCmPerUs } from './ultrasonic.js';

test('the speed of sound is 331.3 m/s at 0 °C and rises 0.606 m/s per °C', () => {
  assert.ok(Math.abs(speedOfSoundCmPerUs(0) - 0.03313) < 1e-12);
  assert.ok(Math.abs(speedOfSoundCmPerUs(20) - 0.034342) < 1e-12);
  assert.ok(Math.abs(speedOfSoundCmPerUs(-10) - 0.032524) < 1e-12);
});

test('an echo width is the round trip: distance = width * c / 2', () => {
  assert.ok(Math.abs(echoToCm(5823.76, 20) - 100) < 0.01);
  assert.ok(Math.abs(echoToCm(2915, 30) - 2915 * 0.034948 / 2) < 1e-9);
});

test('no echo (a negative width) is no distance', () => {
  assert.ok(Number.isNaN(echoToCm(-1, 20)));
  assert.is(echoToCm(0, 20), 0);
});

test.run();
