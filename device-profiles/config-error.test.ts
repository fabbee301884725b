import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatErrors, sortErrors, type ConfigError } from './config-error.js';

const error = (file: string, line: number, column: number, path: string, message: string): ConfigError =>
  ({ code: 'E_CFG_RANGE', file, line, column, path, message });

test('an error prints as file:line:column path: message', () => {
  const printed = formatErrors([error('examples/demo-street.yaml', 12, 7, 'devices[3].overrides.config.holdS', 'must be >= 1 (got 0)')]);
  assert.is(printed, 'examples/demo-street.yaml:12:7 devices[3].overrides.config.holdS: must be >= 1 (got 0)');
});

test('an error without a position or a path prints the file and the message alone', () => {
  assert.is(formatErrors([error('gone.yaml', 0, 0, '', 'cannot read the file')]), 'gone.yaml cannot read the file');
});

test('errors sort by file, then line and column, keeping ties in the order found', () => {
  const sorted = sortErrors([
    error('b.yaml', 1, 1, 'x', 'b1'), error('a.yaml', 9, 1, 'x', 'a9'),
    error('a.yaml', 2, 5, 'x', 'a2-first'), error('a.yaml', 2, 5, 'x', 'a2-second'),
  ]);
  assert.equal(sorted.map((e) => e.message), ['a2-first', 'a2-second', 'a9', 'b1']);
});

test.run();
