import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Median } from './median.js';

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

test('median of an even count averages the middle pair, whatever the arrival order', () => {
  const m = new Median(5);
  const out: (number | undefined)[] = [];
  for (const v of [4, 1, 3, 2]) out.push(m.push(v, 0));
  assert.equal(out, [4, 2.5, 3, 2.5]);
});

test('median reset forgets the window, so a new burst starts afresh', () => {
  const m = new Median(5);
  for (const v of [90, 91, 92]) m.push(v, 0);
  m.reset();
  assert.is(m.push(10, 0), 10);
  assert.is(m.push(12, 0), 11);
});

test('median refuses a window below 1', () => {
  assert.throws(() => new Median(0), /window/);
});

test.run();
