import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { airTemperatureC, echoWidthUs, soundSpeedCmPerUs } from './air.js';

test('air is coolest at 03:00 and warmest at 15:00, and warm air shortens the echo', () => {
  assert.ok(Math.abs(airTemperatureC(3) - 14) < 1e-9);
  assert.ok(Math.abs(airTemperatureC(15) - 26) < 1e-9);
  assert.ok(Math.abs(soundSpeedCmPerUs(20) - 0.034342) < 1e-12);
  assert.ok(Math.abs(echoWidthUs(100, 20) - 200 / 0.034342) < 0.01);
  assert.ok(echoWidthUs(100, 30) < echoWidthUs(100, 10));
});

test.run();
