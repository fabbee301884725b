import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closest, editDistance, quotedList } from './suggest.js';

test('a swap of neighbouring letters counts as one edit', () => {
  assert.is(editDistance('tmep', 'temp'), 1);
  assert.is(editDistance('holdS', 'holdS'), 0);
  assert.is(editDistance('kitten', 'sitting'), 3);
});

test('only a close candidate is suggested', () => {
  assert.is(closest('baseLevl', ['fullLevel', 'baseLevel']), 'baseLevel');
  assert.is(closest('HOLDS', ['holdS', 'fadeS']), 'holdS');
  assert.is(closest('colour', ['holdS', 'fadeS']), null);
});

test('lists read as prose', () => {
  assert.is(quotedList(['sun', 'light']), "'sun' or 'light'");
  assert.is(quotedList(['a', 'b', 'c']), "'a', 'b' or 'c'");
  assert.is(quotedList(['only']), "'only'");
});

test.run();
