/**
 * The allowlist parse of emitted JavaScript (checkBundle), on small snippets: each refused
 * construct with where it is reported and why, the look-alikes it must let through, esbuild's
 * real lowering of `#private` fields, and a real firmware bundle.
 */
import { transformSync } from 'esbuild';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lampConfig, LAMP_PINS } from '../../hil-tests/devices/lamp-config.js';
import { nodeBuild } from '../../hil-tests/harness/bundle-node.js';
import { PACKAGE_ROOT } from '../paths.js';
import { checkBundle, type BundleViolation } from './allowlist.js';
import { bundleFirmwareSync } from './bundle.js';

type Expected = [line: number, column: number, construct: string, rule: string];

const NEWER = 'syntax newer than ES2015';
const MISSING = 'Espruino does not have it';
const DESTRUCTURING = 'Espruino has no destructuring';
const LABELS = 'Espruino has no labelled statements';

function found(code: string): Expected[] {
  return checkBundle(code).map((v: BundleViolation) => [v.line, v.column, v.construct, v.rule]);
}

/** Each snippet and everything checkBundle must report in it, in order. */
const REFUSED: Record<string, [code: string, expected: Expected[]]> = {
  // Newer than ES2015: acorn's own parse error, at the offending token.
  'the ** operator': ['var a = 2, b = 3;\nvar c = a ** b;\n', [[2, 12, NEWER, 'Unexpected token (2:11)']]],
  'optional chaining': ['var a = {};\nvar b = a?.b;\n', [[2, 11, NEWER, 'Unexpected token (2:10)']]],
  'an async function': ['async function f() {}\n', [[1, 7, NEWER, 'Unexpected token (1:6)']]],
  'a #private class field': ['class A {\n  #x = 1;\n}\n', [[2, 3, NEWER, "Unexpected character '#' (2:2)"]]],
  'object spread': ['var a = { ...o };\n', [[1, 11, NEWER, 'Unexpected token (1:10)']]],

  // ES2015 syntax Espruino does not run.
  'spread in a call': ['f(...xs);\n', [[1, 3, 'SpreadElement', 'Espruino has no spread']]],
  'spread in an array': ['var a = [1, ...xs];\n', [[1, 13, 'SpreadElement', 'Espruino has no spread']]],
  'a rest parameter': ['function f(...xs) {}\n', [[1, 12, 'RestElement', 'Espruino has no rest parameters or rest elements']]],
  'a default parameter': ['function f(x = 1) {}\n', [[1, 12, 'AssignmentPattern', 'Espruino has no default parameters or default values']]],
  'object destructuring': ['var { a } = o;\n', [[1, 5, 'ObjectPattern', DESTRUCTURING]]],
  'array destructuring': ['var [a, b] = xs;\n', [[1, 5, 'ArrayPattern', DESTRUCTURING]]],
  'a destructured parameter': ['function f({ a }) {}\n', [[1, 12, 'ObjectPattern', DESTRUCTURING]]],
  'a tagged template': ['var s = tag`x`;\n', [[1, 9, 'TaggedTemplateExpression', 'Espruino has no tagged templates']]],
  'a labelled statement, labelled break and continue': [
    'outer: for (var i = 0; i < 2; i++) {\n  for (;;) {\n    break outer;\n  }\n  continue outer;\n}\n',
    [[1, 1, 'LabeledStatement', LABELS], [3, 5, 'labelled break', LABELS], [5, 3, 'labelled continue', LABELS]],
  ],
  'a generator': [
    'function* g() {\n  yield 1;\n}\n',
    [[1, 1, 'generator', 'Espruino has no async functions or generators'], [2, 3, 'YieldExpression', 'Espruino has no generators']],
  ],
  'new.target': ['function F() {\n  return new.target;\n}\n', [[2, 10, 'MetaProperty', 'Espruino has no new.target or import.meta']]],
  'extends a call': ['class A extends f() {}\n', [[1, 17, 'extends <expression>', 'Espruino extends a plain name only']]],

  // Regular expressions beyond Espruino's simple engine.
  'the RegExp u flag': ['var r = /x/u;\n', [[1, 9, "RegExp flag 'u'", 'Espruino has simple RegExp only: no sticky or unicode flags']]],
  'the RegExp y flag': ['var r = /x/y;\n', [[1, 9, "RegExp flag 'y'", 'Espruino has simple RegExp only: no sticky or unicode flags']]],
  'a RegExp lookahead': ['var r = /a(?=b)/;\n', [[1, 9, 'RegExp lookaround', 'Espruino has simple RegExp only: no lookaround']]],
  'a negative RegExp lookahead': ['var r = /a(?!b)/;\n', [[1, 9, 'RegExp lookaround', 'Espruino has simple RegExp only: no lookaround']]],
  'a RegExp {n} quantifier': ['var r = /a{2}/;\n', [[1, 9, 'RegExp {n} quantifier', 'Espruino has simple RegExp only: no {n} quantifiers']]],

  // Globals and methods Espruino lacks.
  'Map': ['var m = new Map();\n', [[1, 13, 'Map', 'Espruino has no Map']]],
  'Set': ['var s = new Set();\n', [[1, 13, 'Set', 'Espruino has no Set']]],
  'Symbol': ['var s = Symbol("x");\n', [[1, 9, 'Symbol', 'Espruino has no Symbol']]],
  'WeakMap': ['var w = new WeakMap();\n', [[1, 13, 'WeakMap', 'Espruino has no WeakMap']]],
  'Proxy': ['var p = new Proxy({}, {});\n', [[1, 13, 'Proxy', 'Espruino has no Proxy']]],
  'Array.from': ['var a = Array.from(xs);\n', [[1, 9, 'Array.from', MISSING]]],
  'Object.freeze': ['var o = Object.freeze({});\n', [[1, 9, 'Object.freeze', MISSING]]],
  'Math.trunc': ['var n = Math.trunc(1.5);\n', [[1, 9, 'Math.trunc', MISSING]]],
  'Number.isNaN': ['var b = Number.isNaN(x);\n', [[1, 9, 'Number.isNaN', MISSING]]],
  '.lastIndexOf()': ['var i = s.lastIndexOf("x");\n', [[1, 9, '.lastIndexOf', MISSING]]],
  '.flat()': ['var f = xs.flat();\n', [[1, 9, '.flat', MISSING]]],
  '.finally()': ['p.finally(done);\n', [[1, 1, '.finally', MISSING]]],
  'Promise.race': ['Promise.race(ps);\n', [[1, 1, 'Promise.race', MISSING]]],

  // Scoping Espruino does differently.
  'a closure over a for (let …) header variable': [
    'var fs = [];\nfor (let i = 0; i < 3; i++) {\n  fs.push(function () { return i; });\n}\n',
    [[3, 32, "closure over loop variable 'i'", 'Espruino gives a loop header variable one binding for all iterations']],
  ],
  'a closure passed to setTimeout in a for (let …) loop': [
    'for (let i = 0; i < 3; i++) setTimeout(function () { print(i); }, 10);\n',
    [[1, 60, "closure over loop variable 'i'", 'Espruino gives a loop header variable one binding for all iterations']],
  ],
  'a closure kept by a callback that forEach runs at once': [
    'var later = [];\nfor (const k of keys) keys.forEach(function () { later.push(function () { return k; }); });\n',
    [[2, 82, "closure over loop variable 'k'", 'Espruino gives a loop header variable one binding for all iterations']],
  ],
  'a function called before its declaration at the same level': [
    'var x = f();\nfunction f() {\n  return 1;\n}\n',
    [[1, 9, "use of 'f' before its function declaration", 'Espruino does not hoist function declarations']],
  ],
};

for (const [what, [code, expected]] of Object.entries(REFUSED)) {
  test(`checkBundle refuses ${what} at ${expected.map(([l, c]) => `${l}:${c}`).join(', ')}`, () => {
    assert.equal(found(code), expected);
  });
}

/** Look-alikes of refused constructs that Espruino runs. */
const ALLOWED: Record<string, string> = {
  'a local variable or parameter named Map or Set': 'function f(Map) {\n  return new Map();\n}\nvar Set = 1;\n',
  'a closure over a let declared inside the loop body': 'var fs = [];\nfor (var i = 0; i < 3; i++) {\n  let j = i;\n  fs.push(function () { return j; });\n}\n',
  'callbacks that array methods run at once, during the iteration':
    'var n = 0;\nfor (const k of keys) if (items.some((x) => x === k)) n++;\nfor (let i = 0; i < 3; i++) n += xs.filter(function (x) { return x > i; }).length;\n',
  'a later function used inside a function called after both are declared':
    'function g() {\n  return f();\n}\nfunction f() {\n  return 1;\n}\nvar x = g();\n',
  'a plain class, arrow, template, for…of and simple RegExp':
    'class A extends B {\n  get x() { return 1; }\n}\nvar t = `v ${(() => 2)()}`;\nfor (const c of "ab") t += c;\nvar r = /^[a-z]+\\d*$/gi;\n',
  'indexOf, includes and a member named from on another object': 'var i = [1].indexOf(1) + "ab".includes("a");\nvar f = q.from(1);\n',
};

for (const [what, code] of Object.entries(ALLOWED)) {
  test(`checkBundle allows ${what}`, () => {
    assert.equal(found(code), []);
  });
}

test('checkBundle refuses what esbuild makes of #private fields for es2015: WeakMap, which Espruino lacks', () => {
  const source = 'class Counter {\n  #n = 0;\n  bump(): number {\n    return ++this.#n;\n  }\n}\nvar counter = new Counter();\n';
  const { code } = transformSync(source, { target: 'es2015', loader: 'ts' });
  const lines = code.split('\n');
  const weakMapLine = lines.findIndex((l) => l.includes('new WeakMap()')) + 1;
  assert.ok(weakMapLine > 0, `esbuild no longer lowers #private to a WeakMap:\n${code}`);
  const violations = checkBundle(code);
  const weakMap = violations.find((v) => v.construct === 'WeakMap');
  assert.ok(weakMap !== undefined, JSON.stringify(violations));
  assert.equal([weakMap.line, weakMap.column, weakMap.rule], [weakMapLine, lines[weakMapLine - 1]!.indexOf('WeakMap') + 1, 'Espruino has no WeakMap']);
});

test('checkBundle passes a real firmware bundle (a lamp node, minified as kerb build makes it)', () => {
  const { code } = bundleFirmwareSync(PACKAGE_ROOT, nodeBuild('lamp', LAMP_PINS, lampConfig()));
  assert.ok(code.length > 1000, 'the bundle is not empty');
  assert.equal(checkBundle(code), []);
});

test.run();
