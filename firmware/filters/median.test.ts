import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Median, medianOf } from './median.js';

test('median removes a single outlier from a window of 5', () => {
  const m = new Median(5);
  const out: (number | undefined)[] = [];
  for (const v of [100, 101, 400, 99, 100]) out.push(m.push(v, 0));
  assert.is(out[4], 100);
});

test('median of a partly filled window uses only the values seen', () => {
  const m = new Median(5);
  assert.is(m.push(7, 0), 7);
  assert.is(m.push(9, 0), 8);
  assert.is(m.push(1, 0), 7);
});

test('median window slides: old values leave it', () => {
  const m = new Median(3);
  for (const v of [1, 2, 3]) m.push(v, 0);
  m.push(10, 0);
  assert.is(m.push(11, 0), 10);
});

test('median drops NaN without disturbing the window', () => {
  const m = new Median(3);
  m.push(5, 0);
  assert.is(m.push(NaN, 0), undefined);
  assert.is(m.push(5, 0), 5);
});

test('medianOf sorts in place and averages the middle pair for an even count', () => {
  const buf = new Float64Array([4, 1, 3, 2, 99]);
  assert.is(medianOf(buf, 4), 2.5);
  assert.equal(Array.prototype.slice.call(buf, 0, 4), [1, 2, 3, 4]);
  assert.ok(Number.isNaN(medianOf(buf, 0)));
});

test('median refuses a window below 1', () => {
  assert.throws(() => new Median(0), /window/);
});

test.run();
