import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chain } from './filter.js';
import { Calibrate } from './calibrate.js';
import { Clamp } from './clamp.js';
import { Delta } from './delta.js';
import { Median } from './median.js';

test('a chain runs filters in order and stops at the first drop', () => {
  const c = chain([new Calibrate({ gain: 100, offset: 0 }), new Clamp(0, 50, 'drop'), new Delta(1)]);
  assert.is(c.push(0.2, 0), 20);
  assert.is(c.push(0.205, 1), undefined); // delta < 1
  assert.is(c.push(0.9, 2), undefined); // 90 is out of range, dropped before delta
  assert.is(c.push(0.3, 3), 30);
});

test('a chain with a median ahead of a clamp smooths a spike away', () => {
  const c = chain([new Median(3), new Clamp(0, 100, 'saturate')]);
  const out: (number | undefined)[] = [];
  for (const v of [10, 10, 500, 10]) out.push(c.push(v, 0));
  assert.equal(out, [10, 10, 10, 10]);
});

test('an empty chain passes values unchanged', () => {
  assert.is(chain([]).push(3.5, 0), 3.5);
});

test.run();
