import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exists, locate, pathString } from './locate.js';
import { parseSource, type SourceFile } from './source-file.js';

function source(text: string): SourceFile {
  const result = parseSource('t.yaml', text);
  if (!result.ok) throw new Error('fixture text should parse');
  return result.value;
}

const text = [
  'config:', //                  1
  '  holdS: 0', //               2
  '  schedule: { source: moon }', // 3
  'devices:', //                 4
  '  - id: a', //                5
  '  - id: b', //                6
  '    empty:', //               7
].join('\n');

test('paths print with dots for fields and brackets for list items', () => {
  assert.is(pathString(['devices', 3, 'overrides', 'config', 'holdS']), 'devices[3].overrides.config.holdS');
  assert.is(pathString(['pins', 'odd key']), 'pins["odd key"]');
  assert.is(pathString([]), '');
});

test('a value is located at its value, a key at its name', () => {
  const s = source(text);
  assert.equal(locate(s, ['config', 'holdS']), { line: 2, column: 10, found: true });
  assert.equal(locate(s, ['config', 'holdS'], 'key'), { line: 2, column: 3, found: true });
  assert.equal(locate(s, ['config', 'schedule', 'source']), { line: 3, column: 23, found: true });
  assert.equal(locate(s, ['devices', 1, 'id']), { line: 6, column: 9, found: true });
});

test('an empty value is located at its key', () => {
  assert.equal(locate(source(text), ['devices', 1, 'empty']), { line: 7, column: 5, found: true });
});

test('a missing field is located at the key of its deepest written parent', () => {
  const s = source(text);
  assert.equal(locate(s, ['config', 'fadeS']), { line: 1, column: 1, found: false });
  assert.equal(locate(s, ['devices', 7, 'id']), { line: 4, column: 1, found: false });
  assert.is(exists(s, ['devices', 0, 'id']), true);
  assert.is(exists(s, ['devices', 0, 'profile']), false);
});

test('paths through an alias are followed to the anchored node', () => {
  const s = source('base: &b { holdS: 5 }\nconfig: *b\n');
  assert.equal(locate(s, ['config', 'holdS']), { line: 1, column: 19, found: true });
});

test.run();
