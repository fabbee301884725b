import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PACKAGE_ROOT } from '../paths.js';
import { checkSubset, formatViolation, type SubsetViolation } from './subset-check.js';

const FIXTURES = path.join(PACKAGE_ROOT, 'scripts', 'build', 'fixtures', 'subset');
const DIR = 'scripts/build/fixtures/subset';

const DESTRUCTURING = 'Espruino has no destructuring';
const SPREAD = 'Espruino has no spread (...)';
const OPTIONAL = 'Espruino has no optional chaining (?.)';
const PRIVATE = "Espruino has no #private fields: esbuild lowers them to WeakMap; use TypeScript's `private`";
const loopRule = (name: string): string =>
  `Espruino keeps one '${name}' for the whole loop: this closure sees its last value (copy it into a let inside the body)`;
const LOOP_I = loopRule('i');

/** Each fixture holds exactly one violation: where it is, which construct, and why. */
const EXPECTED: Record<string, [line: number, col: number, construct: string, rule: string]> = {
  'extends-expression.ts': [4, 30, 'extends-expression', 'Espruino can only extend a plain class name'],
  'default-parameter.ts': [2, 23, 'default-parameter', 'Espruino has no default parameters'],
  'rest-parameter.ts': [2, 21, 'rest-parameter', 'Espruino has no rest parameters'],
  'spread-argument.ts': [3, 33, 'spread-argument', SPREAD],
  'spread-array.ts': [3, 21, 'spread-array', SPREAD],
  'spread-object.ts': [3, 25, 'spread-object', SPREAD],
  'destructuring-declaration.ts': [3, 14, 'destructuring-declaration', DESTRUCTURING],
  'destructuring-parameter.ts': [2, 25, 'destructuring-parameter', DESTRUCTURING],
  'destructuring-assignment.ts': [4, 1, 'destructuring-assignment', DESTRUCTURING],
  'destructuring-for-of.ts': [4, 12, 'destructuring-for-of', DESTRUCTURING],
  'tagged-template.ts': [5, 21, 'tagged-template', 'Espruino has no tagged templates'],
  'optional-chaining.ts': [3, 33, 'optional-chaining', OPTIONAL],
  'optional-call.ts': [4, 9, 'optional-call', OPTIONAL],
  'exponent.ts': [3, 30, 'exponent', 'Espruino has no ** operator (use Math.pow)'],
  'exponent-assignment.ts': [3, 3, 'exponent-assignment', 'Espruino has no **= operator'],
  'and-assignment.ts': [3, 4, 'and-assignment', 'Espruino has no &&= operator'],
  'or-assignment.ts': [3, 6, 'or-assignment', 'Espruino has no ||= operator'],
  'nullish-assignment.ts': [3, 7, 'nullish-assignment', 'Espruino has no ??= operator'],
  'async-function.ts': [2, 8, 'async-function', 'Espruino has no async functions'],
  'await.ts': [2, 22, 'await', 'Espruino has no await'],
  'generator.ts': [2, 16, 'generator', 'Espruino has no generators'],
  'unsupported-global-map.ts': [2, 26, 'unsupported-global', 'Espruino has no Map'],
  'unsupported-global-set.ts': [2, 26, 'unsupported-global', 'Espruino has no Set'],
  'unsupported-global-symbol.ts': [2, 22, 'unsupported-global', 'Espruino has no Symbol'],
  'unsupported-global-weakmap.ts': [2, 26, 'unsupported-global', 'Espruino has no WeakMap'],
  'unsupported-global-weakset.ts': [2, 26, 'unsupported-global', 'Espruino has no WeakSet'],
  'unsupported-global-proxy.ts': [2, 26, 'unsupported-global', 'Espruino has no Proxy'],
  'unsupported-global-reflect.ts': [2, 22, 'unsupported-global', 'Espruino has no Reflect'],
  'unsupported-global-bigint.ts': [2, 22, 'unsupported-global', 'Espruino has no BigInt'],
  'bigint-literal.ts': [2, 20, 'bigint-literal', 'Espruino has no BigInt'],
  'unsupported-builtin-object-freeze.ts': [2, 22, 'unsupported-builtin', 'Espruino has no Object.freeze'],
  'unsupported-builtin-array-from.ts': [2, 22, 'unsupported-builtin', 'Espruino has no Array.from'],
  'unsupported-builtin-math-trunc.ts': [2, 22, 'unsupported-builtin', 'Espruino has no Math.trunc'],
  'unsupported-builtin-number-isnan.ts': [2, 22, 'unsupported-builtin', 'Espruino has no Number.isNaN'],
  'unsupported-builtin-promise-race.ts': [2, 22, 'unsupported-builtin', 'Espruino has no Promise.race'],
  'unsupported-builtin-promise-allsettled.ts': [2, 22, 'unsupported-builtin', 'Espruino has no Promise.allSettled'],
  'unsupported-method-lastindexof.ts': [3, 27, 'unsupported-method', 'Espruino has no .lastIndexOf()'],
  'unsupported-method-flat.ts': [3, 28, 'unsupported-method', 'Espruino has no .flat()'],
  'unsupported-method-flatmap.ts': [3, 28, 'unsupported-method', 'Espruino has no .flatMap()'],
  'unsupported-method-finally.ts': [2, 40, 'unsupported-method', 'Espruino has no .finally()'],
  'dynamic-import.ts': [2, 22, 'dynamic-import', 'Espruino cannot import at run time (the bundler must resolve every module)'],
  'import-meta.ts': [2, 21, 'import-meta', 'Espruino has no import.meta'],
  'labelled-statement.ts': [3, 1, 'labelled-statement', 'Espruino has no labelled statements'],
  'with-statement.ts': [4, 1, 'with-statement', 'Espruino has no with statement'],
  'regexp-lookaround.ts': [2, 29, 'regexp-lookaround', 'Espruino RegExp has no lookahead/lookbehind'],
  'regexp-lookaround-constructor.ts': [2, 35, 'regexp-lookaround', 'Espruino RegExp has no lookahead/lookbehind'],
  'regexp-counted-quantifier.ts': [2, 25, 'regexp-counted-quantifier', 'Espruino RegExp has no {n} / {n,m} quantifiers'],
  'regexp-flag.ts': [2, 23, 'regexp-flag', 'Espruino RegExp has no sticky (y) flag'],
  'loop-closure.ts': [4, 20, 'loop-closure', LOOP_I],
  'loop-closure-timer.ts': [4, 31, 'loop-closure', LOOP_I],
  'loop-closure-assigned.ts': [4, 16, 'loop-closure', loopRule('name')],
  'loop-closure-nested.ts': [4, 38, 'loop-closure', LOOP_I],
  'loop-closure-returned.ts': [5, 35, 'loop-closure', loopRule('name')],
  'use-before-declaration.ts': [2, 22, 'use-before-declaration', "Espruino does not hoist functions: 'defaultLevel' is declared below, at line 4"],
  'private-name.ts': [3, 3, 'private-name', PRIVATE],
  'private-method.ts': [4, 3, 'private-name', PRIVATE],
  'return-line-break.ts': [5, 5, 'return-line-break', "Espruino has no semicolon insertion after return: it returns the next line's value"],
};

// One API session for the whole fixture project; each test reads its file's share.
let fixtureRun: SubsetViolation[] | undefined;
function fixtureViolations(file: string): SubsetViolation[] {
  fixtureRun ??= checkSubset({ project: path.join(FIXTURES, 'tsconfig.json') });
  return fixtureRun.filter((v) => v.file === `${DIR}/${file}`);
}

for (const [file, [line, col, construct, rule]] of Object.entries(EXPECTED)) {
  test(`subset check: ${file} is reported at ${line}:${col} as ${construct}`, () => {
    assert.equal(fixtureViolations(file), [{ file: `${DIR}/${file}`, line, col, construct, rule }]);
  });
}

test('subset check: allowed.ts (what Espruino does run) has no violations', () => {
  assert.equal(fixtureViolations('allowed.ts'), []);
});

test('subset check: every fixture file has an expectation here', () => {
  const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.ts')).sort();
  assert.equal(files, [...Object.keys(EXPECTED), 'allowed.ts'].sort());
});

test('subset check: the firmware tree has no violations', () => {
  assert.equal(checkSubset().map(formatViolation), []);
});

test('subset check: include limits the check to the chosen files', () => {
  const only = checkSubset({ project: path.join(FIXTURES, 'tsconfig.json'), include: (f) => f.endsWith('/exponent.ts') });
  assert.equal(only.map((v) => v.file), [`${DIR}/exponent.ts`]);
});

test('formatViolation gives file:line:col, the construct and the rule', () => {
  const text = formatViolation({ file: 'firmware/x.ts', line: 12, col: 5, construct: 'default-parameter', rule: 'Espruino has no default parameters' });
  assert.ok(text.startsWith('firmware/x.ts:12:5: '), text);
  assert.is(text, 'firmware/x.ts:12:5: default-parameter — Espruino has no default parameters');
});

test.run();
