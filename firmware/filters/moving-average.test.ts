import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ExponentialMovingAverage, SimpleMovingAverage } from './moving-average.js';

test('simple moving average averages the last N values', () => {
  const a = new SimpleMovingAverage(3);
  assert.is(a.push(3, 0), 3);
  assert.is(a.push(6, 0), 4.5);
  assert.is(a.push(9, 0), 6);
  assert.is(a.push(12, 0), 9);
});

test('simple moving average drops NaN', () => {
  const a = new SimpleMovingAverage(2);
  a.push(4, 0);
  assert.is(a.push(NaN, 0), undefined);
  assert.is(a.push(6, 0), 5);
});

test('simple moving average reset starts the window afresh', () => {
  const a = new SimpleMovingAverage(3);
  a.push(100, 0);
  a.push(100, 0);
  a.reset();
  assert.is(a.push(4, 0), 4);
  assert.is(a.push(8, 0), 6);
});

test('exponential moving average is seeded by the first value and moves alpha of the way', () => {
  const e = new ExponentialMovingAverage(0.25);
  assert.ok(Number.isNaN(e.value()));
  assert.is(e.push(40, 0), 40);
  assert.is(e.push(48, 0), 42);
  assert.is(e.push(42, 0), 42);
  assert.is(e.value(), 42);
});

test('exponential moving average can be set, e.g. on recalibration', () => {
  const e = new ExponentialMovingAverage(0.5);
  e.push(10, 0);
  e.set(100);
  assert.is(e.push(50, 0), 75);
});

test('moving averages refuse bad parameters', () => {
  assert.throws(() => new SimpleMovingAverage(0), /window/);
  assert.throws(() => new ExponentialMovingAverage(0), /alpha/);
  assert.throws(() => new ExponentialMovingAverage(1.5), /alpha/);
});

test.run();
