/**
 * Guest-side JavaScript of the fake Espruino's console (fake-repl.ts drives it): runs a line
 * typed at the REPL as global code and formats its value the way Espruino prints "=value"
 * (jsfPrintJSON with JSON_PRETTY | JSON_SHOW_DEVICES | JSON_DROP_QUOTES, src/jswrap_json.c;
 * string escapes as escapeCharacter in src/jsutils.c). Interpolated into prelude-core.ts, so it
 * shares its scope (def, report, G).
 *
 * Kept simpler than Espruino on purpose: no JSON_LIMIT shortening of long arrays and strings,
 * no JSON_SOME_NEWLINES line breaks in big objects, numbers as JavaScript prints them. An
 * exception goes where Espruino sends it (process 'uncaughtException', else "Uncaught ..."),
 * and the line then prints no "=".
 * `let`/`const` at the top level of a line do not outlive it (the line runs as indirect eval);
 * `var` and function declarations become globals, as on the board.
 */
export const PRELUDE_REPL = String.raw`
// ---- the REPL's "=value"
var HEX = '0123456789ABCDEF';
function replQuote(s) {
  var out = '"';
  for (var i = 0; i < s.length; i++) {
    var c = s.charCodeAt(i), next = s.charCodeAt(i + 1);
    if (c === 8) out += '\\b';
    else if (c === 9) out += '\\t';
    else if (c === 10) out += '\\n';
    else if (c === 11) out += '\\v';
    else if (c === 12) out += '\\f';
    else if (c === 13) out += '\\r';
    else if (c === 92) out += '\\\\';
    else if (c === 34) out += '\\"';
    else if (c < 8 && !(next >= 48 && next <= 55)) out += '\\' + c;
    else if (c < 32 || (c >= 127 && c < 256)) out += '\\x' + HEX[c >> 4] + HEX[c & 15];
    else out += s[i];
  }
  return out + '"';
}
function replKey(k) {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : replQuote(k);
}
function replShow(v, depth, seen) {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  var t = typeof v;
  if (t === 'string') return replQuote(v);
  if (t === 'number' || t === 'boolean') return String(v);
  if (t === 'function') return String(v);
  if (v instanceof G.Pin) return v._n;
  if (v instanceof G.Serial) return v._p;
  if (depth > 8 || seen.indexOf(v) >= 0) return '...';
  seen = seen.concat([v]);
  var parts = [];
  if (ArrayBuffer.isView(v)) {
    for (var j = 0; j < v.length; j++) parts.push(String(v[j]));
    return 'new ' + v.constructor.name + '([' + parts.join(', ') + '])';
  }
  if (v instanceof ArrayBuffer) return 'new ArrayBuffer([' + Array.prototype.join.call(new Uint8Array(v), ', ') + '])';
  if (Array.isArray(v)) {
    for (var i = 0; i < v.length; i++) parts.push(replShow(v[i], depth + 1, seen));
    return parts.length === 0 ? '[ ]' : '[ ' + parts.join(', ') + ' ]';
  }
  var keys = Object.keys(v);
  for (var k = 0; k < keys.length; k++) parts.push(replKey(keys[k]) + ': ' + replShow(v[keys[k]], depth + 1, seen));
  return parts.length === 0 ? '{ }' : '{ ' + parts.join(', ') + ' }';
}
def(G, '#repl', function (src) {
  var value;
  try {
    value = (0, eval)(src);
  } catch (e) {
    report(e);
    return { failed: true };
  }
  return { failed: false, shown: replShow(value, 0, []) };
});
`;
