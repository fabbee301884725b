import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Ring } from './ring.js';

const contents = (r: Ring) => {
  const out: number[] = [];
  for (let i = 0; i < r.count(); i++) out.push(r.at(i));
  return out;
};

test('a ring holds values oldest first until it is full', () => {
  const r = new Ring(new Float64Array(3));
  assert.is(r.count(), 0);
  r.push(1);
  r.push(2);
  assert.equal(contents(r), [1, 2]);
  assert.is(r.size(), 3);
});

test('a full ring overwrites its oldest value and never holds more than its size', () => {
  const r = new Ring(new Float64Array(3));
  for (const v of [1, 2, 3, 4, 5]) r.push(v);
  assert.is(r.count(), 3);
  assert.equal(contents(r), [3, 4, 5]);
  r.push(6);
  assert.equal(contents(r), [4, 5, 6]);
});

test('at() outside the values held is NaN, and clear() empties the ring', () => {
  const r = new Ring(new Float64Array(4));
  r.push(7);
  assert.ok(Number.isNaN(r.at(1)));
  assert.ok(Number.isNaN(r.at(-1)));
  r.clear();
  assert.is(r.count(), 0);
  r.push(8);
  assert.equal(contents(r), [8]);
});

test('a Float32Array store keeps single precision; a ring of one keeps the newest value', () => {
  const single = new Ring(new Float32Array(2));
  single.push(0.1);
  assert.is(single.at(0), Math.fround(0.1));
  const one = new Ring(new Float64Array(1));
  one.push(1);
  one.push(2);
  assert.equal(contents(one), [2]);
});

test('a ring without room is refused', () => {
  assert.throws(() => new Ring(new Float64Array(0)), /room for >= 1/);
});

test.run();
