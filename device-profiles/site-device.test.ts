import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { deepMerge } from './site-device.js';

test('maps merge key by key, other values replace, and the inputs are left alone', () => {
  const base = { a: 1, nested: { x: 1, y: 2 }, list: [1, 2] };
  const override = { nested: { y: 3 }, list: [9], extra: true };
  const merged = deepMerge(base, override) as typeof base & { extra: boolean };
  assert.equal(merged, { a: 1, nested: { x: 1, y: 3 }, list: [9], extra: true });
  assert.equal(base, { a: 1, nested: { x: 1, y: 2 }, list: [1, 2] });
  merged.nested.x = 42;
  assert.is(base.nested.x, 1, 'the result shares nothing with the base');
});

test('no override gives a copy of the base; a scalar over a map replaces it', () => {
  const base = { schedule: { source: 'sun' } };
  const copy = deepMerge(base, undefined);
  assert.equal(copy, base);
  assert.is.not(copy, base);
  assert.equal(deepMerge(base, { schedule: 5 }), { schedule: 5 });
});

test.run();
