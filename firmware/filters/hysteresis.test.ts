import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Hysteresis } from './hysteresis.js';

test('hysteresis turns on above high, off below low, and holds its state in between', () => {
  const h = new Hysteresis(0.15, 0.25, 0);
  const out: (number | undefined)[] = [];
  for (const v of [0.2, 0.3, 0.2, 0.15, 0.1, 0.2, 0.25, 0.26]) out.push(h.push(v, 0));
  assert.equal(out, [0, 1, 1, 1, 0, 0, 0, 1]);
  assert.is(h.output(), 1);
});

test('hysteresis starts from its initial state and can be reset', () => {
  const h = new Hysteresis(1, 2, 1);
  assert.is(h.push(1.5, 0), 1);
  h.reset(0);
  assert.is(h.push(1.5, 0), 0);
});

test('hysteresis drops NaN without changing state, and refuses low >= high', () => {
  const h = new Hysteresis(1, 2, 0);
  h.push(3, 0);
  assert.is(h.push(NaN, 0), undefined);
  assert.is(h.output(), 1);
  assert.throws(() => new Hysteresis(2, 2, 0), /low < high/);
});

test.run();
