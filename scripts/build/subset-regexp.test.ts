import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { regexpProblems, splitRegexpLiteral } from './subset-regexp.js';

const kinds = (pattern: string, flags = ''): [number, string][] => regexpProblems(pattern, flags).map((p) => [p.offset, p.construct]);

test('regexp: lookahead and lookbehind are found where they start', () => {
  assert.equal(kinds('a(?=b)'), [[1, 'regexp-lookaround']]);
  assert.equal(kinds('a(?!b)'), [[1, 'regexp-lookaround']]);
  assert.equal(kinds('(?<=a)b(?<!c)'), [[0, 'regexp-lookaround'], [7, 'regexp-lookaround']]);
});

test('regexp: counted quantifiers are found; literal braces are not', () => {
  assert.equal(kinds('\\d{4}'), [[2, 'regexp-counted-quantifier']]);
  assert.equal(kinds('a{2,}b{1,3}'), [[1, 'regexp-counted-quantifier'], [6, 'regexp-counted-quantifier']]);
  assert.equal(kinds('\\{2\\}[{]{x}'), []);
});

test('regexp: escapes, character classes and named groups are not lookarounds', () => {
  assert.equal(kinds('\\(?=x\\)'), []);
  assert.equal(kinds('[(?=]'), []);
  assert.equal(kinds('(?<name>a)(?:b)'), []);
});

test('regexp: sticky, unicode, dotAll flags are refused; g, i, m are fine', () => {
  assert.equal(kinds('a', 'gim'), []);
  const [flag] = regexpProblems('a', 'guy');
  assert.is(flag.construct, 'regexp-flag');
  assert.is(flag.rule, 'Espruino RegExp has no unicode (u), sticky (y) flags');
  assert.equal(kinds('a', 's'), [[-1, 'regexp-flag']]);
});

test('regexp: a literal splits into pattern and flags at the last slash', () => {
  assert.equal(splitRegexpLiteral('/a\\/b/gi'), { pattern: 'a\\/b', flags: 'gi' });
});

test.run();
