import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Clamp } from './clamp.js';

test('clamp in drop mode drops values outside the range and passes the bounds', () => {
  const c = new Clamp(2, 400, 'drop');
  assert.is(c.push(1.9, 0), undefined);
  assert.is(c.push(401, 0), undefined);
  assert.is(c.push(2, 0), 2);
  assert.is(c.push(400, 0), 400);
  assert.is(c.push(57.5, 0), 57.5);
});

test('clamp in saturate mode pulls values to the nearest bound', () => {
  const c = new Clamp(0, 100, 'saturate');
  assert.is(c.push(-12, 0), 0);
  assert.is(c.push(130, 0), 100);
  assert.is(c.push(42, 0), 42);
});

test('clamp drops NaN in either mode', () => {
  assert.is(new Clamp(0, 1, 'saturate').push(NaN, 0), undefined);
  assert.is(new Clamp(0, 1, 'drop').push(NaN, 0), undefined);
});

test('a reversed range is refused; a range of one value is allowed', () => {
  assert.is(new Clamp(0.5, 0.5, 'saturate').push(0.9, 0), 0.5);
  assert.throws(() => new Clamp(5, 1, 'drop'), /min <= max/);
});

test.run();
