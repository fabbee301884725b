import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Throttle } from './throttle.js';

test('throttle passes at most one value per period', () => {
  const t = new Throttle(1000);
  assert.is(t.push(1, 0), 1);
  assert.is(t.push(2, 400), undefined);
  assert.is(t.push(3, 999), undefined);
  assert.is(t.push(4, 1000), 4);
  assert.is(t.push(5, 1500), undefined);
  assert.is(t.push(6, 2100), 6);
});

test('throttle measures the period from the last passed value, not the last dropped one', () => {
  const t = new Throttle(100);
  t.push(1, 0);
  for (let ms = 10; ms < 100; ms += 10) assert.is(t.push(ms, ms), undefined);
  assert.is(t.push(9, 100), 9);
});

test.run();
