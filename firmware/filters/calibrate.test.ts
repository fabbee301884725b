import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Calibrate } from './calibrate.js';

test('linear calibration maps raw converter readings to raw*gain+offset', () => {
  const c = new Calibrate({ gain: 200, offset: -100 });
  assert.is(c.push(0, 0), -100);
  assert.is(c.push(0.5, 0), 0);
  assert.is(c.push(1, 0), 100);
  assert.is(new Calibrate({ gain: 100, offset: -50 }).push(0.25, 0), -25);
});

test.run();
