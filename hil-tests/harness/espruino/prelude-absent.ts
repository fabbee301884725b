/**
 * Guest-side JavaScript of the fake Espruino, part 3: what Espruino does not have is taken away
 * from QuickJS, so firmware that slips a missing built-in past the subset checks fails its bundle
 * tests instead of passing them (/work/shared/ESPRUINO.md, "does not work"; Espruino's
 * info/Features.md: no Symbol, Map/Set/WeakMap/WeakSet, Proxy/Reflect, Object.freeze,
 * Number.isNaN, Math.trunc, [].lastIndexOf). It runs last, after prelude-core.ts and
 * prelude-io.ts have set up: the prelude keeps private references to what it still needs
 * (prelude-core.ts, `strLastIndexOf`).
 *
 * String.prototype.lastIndexOf is removed too although Espruino has it: ESPRUINO.md and the
 * allowlist refuse `.lastIndexOf(` on any receiver, and the fake holds firmware to that.
 *
 * Math.round becomes Espruino's: it adds ±0.5 and truncates towards zero, so halves round away
 * from zero (Math.round(-2.5) is -3, where standard JavaScript gives -2).
 */
export const PRELUDE_ABSENT = String.raw`
// ---- what Espruino lacks
['Symbol', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Proxy', 'Reflect', 'BigInt', 'RangeError'].forEach(function (name) {
  delete G[name];
});
[
  [Object, 'freeze'], [Array, 'from'], [Math, 'trunc'], [Number, 'isNaN'],
  [Array.prototype, 'lastIndexOf'], [String.prototype, 'lastIndexOf'],
  [Array.prototype, 'flat'], [Array.prototype, 'flatMap'],
  [Promise.prototype, 'finally'], [Promise, 'race'], [Promise, 'allSettled']
].forEach(function (pair) { delete pair[0][pair[1]]; });

// ---- Math.round as Espruino's (jswrap_math_round): x + 0.5 (or - 0.5 below zero), truncated
var floor = Math.floor, ceil = Math.ceil;
def(Math, 'round', function round(x) {
  x = +x;
  if (x !== x || x === 0 || x === Infinity || x === -Infinity) return x;
  var y = x < 0 ? x - 0.5 : x + 0.5;
  // A C cast truncates towards zero; ceil keeps -0 for (-1, 0), as Espruino passes -0 through.
  return y < 0 ? ceil(y) : floor(y);
});
`;
