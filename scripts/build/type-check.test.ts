import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PACKAGE_ROOT } from '../paths.js';
import { formatTypeError, typeCheckFirmware } from './type-check.js';

const FIXTURE = path.join(PACKAGE_ROOT, 'scripts', 'build', 'fixtures', 'type-check', 'tsconfig.json');
const FILE = 'scripts/build/fixtures/type-check/missing-builtins.ts';

test('type check: new Map() and Array.from are errors at their file and line (Espruino has neither)', () => {
  const errors = typeCheckFirmware({ project: FIXTURE });
  assert.equal(
    errors.map((e) => [e.file, e.line, e.col, e.code]),
    [
      [FILE, 2, 25, 2583],
      [FILE, 3, 27, 2550],
    ],
  );
  assert.match(errors[0].message, /Cannot find name 'Map'/);
  assert.match(errors[1].message, /'from' does not exist on type 'ArrayConstructor'/);
  // TypeScript's advice to change `lib` is dropped: the Espruino library is fixed on purpose.
  assert.not.match(errors[0].message, /target library/);
});

test('formatTypeError gives file:line:col and the message', () => {
  const [first] = typeCheckFirmware({ project: FIXTURE });
  assert.is(formatTypeError(first), `${FILE}:2:25: Cannot find name 'Map'. (TS2583)`);
});

test('type check: the firmware tree type-checks against the Espruino declarations', () => {
  assert.equal(typeCheckFirmware().map(formatTypeError), []);
});

test.run();
