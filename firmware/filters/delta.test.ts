import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Delta } from './delta.js';

test('delta passes the first value and then only changes of at least d', () => {
  const d = new Delta(0.5);
  assert.is(d.push(20, 0), 20);
  assert.is(d.push(20.3, 1), undefined);
  assert.is(d.push(20.49, 2), undefined);
  assert.is(d.push(20.5, 3), 20.5);
  assert.is(d.push(20.1, 4), undefined);
  assert.is(d.push(19.9, 5), 19.9);
});

test('delta measures against the last passed value, so slow drift still gets through', () => {
  const d = new Delta(1);
  d.push(0, 0);
  const passed: number[] = [];
  for (let i = 1; i <= 10; i++) {
    const v = d.push(i * 0.4, i);
    if (v !== undefined) passed.push(v);
  }
  assert.equal(passed.map((v) => Math.round(v * 10) / 10), [1.2, 2.4, 3.6]);
});

test('delta reset lets the next value through', () => {
  const d = new Delta(5);
  d.push(1, 0);
  d.reset();
  assert.is(d.push(1, 1), 1);
});

test.run();
