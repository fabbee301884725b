/**
 * Guest-side JavaScript of the fake Espruino, part 1: the interpreter's own globals. It runs
 * inside QuickJS before the node's code, in one function scope with prelude-io.ts (see
 * prelude.ts), and talks to the host only through `H` (host functions) and `cfg` (board data).
 *
 * Espruino behaviour kept on purpose, because Node differs and firmware must not rely on Node:
 * - emit() queues: listeners run later, from the event loop, never inside emit().
 * - clearTimeout(id) of an unknown or already-fired id throws 'Unknown Timeout';
 *   clearTimeout(undefined) throws; clearTimeout() with no argument clears every timer.
 * - An exception in a callback is printed as "Uncaught ..." and the loop carries on;
 *   process.on('uncaughtException', fn) takes it instead when set.
 * - require() knows 'Storage' and Modules.addCached modules; anything else throws
 *   "Module X not found".
 * - getTime() and Date share one clock: seconds since power-on unless setTime() moved it.
 * - Built-ins Espruino lacks are gone and Math.round rounds halves away from zero
 *   (prelude-absent.ts, which runs last).
 * - echo() and E.getErrorFlags() belong to the console (fake-repl.ts); the REPL runs its lines
 *   through prelude-repl.ts, appended here.
 */
import { PRELUDE_REPL } from './prelude-repl.js';

export const PRELUDE_CORE = String.raw`
var G = globalThis;
function def(o, name, value) {
  Object.defineProperty(o, name, { value: value, writable: true, configurable: true, enumerable: false });
}
function own(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
// prelude-absent.ts removes this from the guest (Espruino's firmware must not use it); we still do.
var strLastIndexOf = String.prototype.lastIndexOf;
var handlers = {};

// ---- bytes and binary strings (chars 0..255)
function bytesToStr(u8) {
  var s = '';
  for (var i = 0; i < u8.length; i += 4096) s += String.fromCharCode.apply(null, u8.subarray(i, i + 4096));
  return s;
}
function pushBytes(out, v) {
  if (typeof v === 'string') { for (var i = 0; i < v.length; i++) out.push(v.charCodeAt(i) & 255); }
  else if (typeof v === 'number') out.push(v & 255);
  else if (typeof v === 'boolean') out.push(v ? 1 : 0);
  else if (v instanceof ArrayBuffer) pushBytes(out, new Uint8Array(v));
  else if (ArrayBuffer.isView(v)) { for (var j = 0; j < v.length; j++) out.push(v[j] & 255); }
  else if (Array.isArray(v)) { for (var k = 0; k < v.length; k++) pushBytes(out, v[k]); }
  else if (v !== null && typeof v === 'object') {
    if (typeof v.callback === 'function') pushBytes(out, v.callback());
    else if (v.data !== undefined) { for (var n = 0; n < (v.count === undefined ? 1 : v.count); n++) pushBytes(out, v.data); }
  }
}
function toBytes(list) {
  var out = [];
  for (var i = 0; i < list.length; i++) pushBytes(out, list[i]);
  return Uint8Array.from(out);
}
function fmt(v) {
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object') { try { return JSON.stringify(v); } catch (e) { return String(v); } }
  return String(v);
}
function line(args) {
  var parts = [];
  for (var i = 0; i < args.length; i++) parts.push(fmt(args[i]));
  return parts.join(' ');
}

// ---- errors: Espruino prints "Uncaught ..." and carries on
var proc = {};
function raw(e) {
  if (e instanceof Error) H.uncaught(String(e.name), String(e.message), String(e.stack || ''));
  else H.uncaught('', fmt(e), '');
}
function report(e) {
  var l = listenersOf(proc, 'uncaughtException');
  if (l.length === 0) return raw(e);
  for (var i = 0; i < l.length; i++) { try { l[i].call(proc, e); } catch (e2) { raw(e2); } }
}
function guard(fn, self, args) {
  try { fn.apply(self, args); } catch (e) { report(e); }
}

// ---- events on every object, queued like Espruino's
var queue = [];
function evKey(ev) { return '#on' + ev; }
function listenersOf(o, ev) { return own(o, evKey(ev)) ? o[evKey(ev)] : []; }
function on(ev, fn) {
  var k = evKey(ev);
  if (!own(this, k)) def(this, k, []);
  this[k].push(fn);
  if (ev === 'data' && own(this, '#buf') && this['#buf'].length > 0) {
    var buffered = this['#buf'];
    this['#buf'] = '';
    queue.push([this, 'data', [buffered]]);
    H.wake();
  }
}
def(Object.prototype, 'on', on);
def(Object.prototype, 'addListener', on);
def(Object.prototype, 'emit', function (ev) {
  queue.push([this, String(ev), Array.prototype.slice.call(arguments, 1, 5)]);
  H.wake();
});
def(Object.prototype, 'removeListener', function (ev, fn) {
  var l = listenersOf(this, ev), i = l.indexOf(fn);
  if (i >= 0) l.splice(i, 1);
});
def(Object.prototype, 'removeAllListeners', function (ev) {
  if (ev !== undefined) { delete this[evKey(ev)]; return; }
  var keys = Object.getOwnPropertyNames(this);
  for (var i = 0; i < keys.length; i++) if (keys[i].indexOf('#on') === 0) delete this[keys[i]];
});
function emitNow(o, ev, args) {
  var l = listenersOf(o, ev).slice();
  for (var i = 0; i < l.length; i++) guard(l[i], o, args);
}
handlers.events = function () {
  var batch = queue;
  queue = [];
  for (var i = 0; i < batch.length; i++) emitNow(batch[i][0], batch[i][1], batch[i][2]);
};

// ---- timers
var timers = {};
function setTimer(fn, ms, args, repeat) {
  if (typeof fn === 'string') { var src = fn; fn = function () { (0, eval)(src); }; }
  if (typeof fn !== 'function') throw new Error('Function or String not supplied!');
  ms = +ms;
  if (!(ms >= 0)) ms = 0;
  var id = H.timerSet(ms, repeat);
  timers[id] = { fn: fn, args: args, repeat: repeat };
  return id;
}
function clearTimer(argc, id, what) {
  if (argc === 0) {
    for (var k in timers) H.timerClear(+k);
    timers = {};
    return;
  }
  if (id === undefined) throw new Error('clear' + what + '(undefined) not allowed. Use clear' + what + '() instead.');
  if (!own(timers, id)) throw new Error('Unknown ' + what);
  delete timers[id];
  H.timerClear(+id);
}
def(G, 'setTimeout', function (fn, ms) { return setTimer(fn, ms, Array.prototype.slice.call(arguments, 2), false); });
def(G, 'setInterval', function (fn, ms) { return setTimer(fn, ms, Array.prototype.slice.call(arguments, 2), true); });
def(G, 'clearTimeout', function (id) { clearTimer(arguments.length, id, 'Timeout'); });
def(G, 'clearInterval', function (id) { clearTimer(arguments.length, id, 'Interval'); });
def(G, 'changeInterval', function (id, ms) {
  if (!own(timers, id)) throw new Error('Unknown Interval');
  H.timerChange(+id, +ms);
});
handlers.timer = function (id) {
  var t = timers[id];
  if (t === undefined) return;
  guard(t.fn, undefined, t.args);
  // Like Espruino, a timeout is removed after its callback: it may clear itself meanwhile.
  if (!t.repeat && timers[id] === t) delete timers[id];
};

// ---- time: one clock for getTime() and Date
def(G, 'getTime', function () { return H.nowMs() / 1000; });
def(G, 'setTime', function (s) { H.setTime(+s); });
var RealDate = Date;
class EspruinoDate extends RealDate {
  constructor() {
    if (arguments.length === 0) super(H.nowMs());
    else super(...arguments);
  }
  static now() { return H.nowMs(); }
}
def(G, 'Date', EspruinoDate);

// ---- console
def(G, 'print', function () { H.print(line(arguments)); });
var konsole = {};
['log', 'debug', 'info', 'warn', 'error', 'trace'].forEach(function (k) { konsole[k] = function () { H.print(line(arguments)); }; });
def(G, 'console', konsole);

// ---- E
var E = {};
def(G, 'E', E);
E.getTemperature = function () { return H.temperature(); };
E.enableWatchdog = function (timeout, isAuto) {
  timeout = +timeout;
  if (!(timeout >= 0)) timeout = 1;
  H.watchdogEnable(timeout, isAuto === undefined || !!isAuto);
};
E.kickWatchdog = function () { H.watchdogKick(); };
// The interpreter's error flags (FIFO_FULL, LOW_MEMORY, MEMORY, ...): read and cleared, as jswrap_espruino_getErrorFlags does.
E.getErrorFlags = function () { return JSON.parse(H.errorFlags()); };
E.toUint8Array = function () { return toBytes(arguments); };
E.toString = function () { return bytesToStr(toBytes(arguments)); };
E.toArrayBuffer = function (s) { return toBytes([s]).buffer; };
E.reboot = function () { H.reboot('E.reboot()', ''); };
E.hwRand = function () { return (Math.random() * 4294967296) | 0; };
E.getAnalogVRef = function () { return 3.3; };
E.clip = function (x, min, max) { return x < min ? min : x > max ? max : x; };
E.sum = function (a) { var s = 0; for (var i = 0; i < a.length; i++) s += a[i]; return s; };
E.CRC32 = function (data) {
  var b = toBytes([data]), c = -1;
  for (var i = 0; i < b.length; i++) {
    c ^= b[i];
    for (var k = 0; k < 8; k++) c = (c >>> 1) ^ (0xEDB88320 & -(c & 1));
  }
  return (c ^ -1) >>> 0;
};
E.setConsole = function (device) { H.setConsole(device === null ? 'null' : String(device)); };
E.getConsole = function () { return H.getConsole(); };
E.setTimeZone = function () {};
handlers.init = function () {
  if (typeof G.onInit === 'function') guard(G.onInit, undefined, []);
  emitNow(E, 'init', []);
};
handlers.kill = function () { emitNow(E, 'kill', []); };

// ---- process, reset and friends
def(G, 'process', proc);
proc.env = cfg.env;
proc.version = cfg.env.VERSION;
proc.memory = function () {
  var used = H.memoryVars(), total = cfg.totalVars;
  return { free: Math.max(0, total - used), usage: used, total: total, history: 0, gc: 0, gctime: 0, blocksize: 14 };
};
def(G, 'reset', function (clearFlash) { H.reboot(clearFlash ? 'reset(true)' : 'reset()', ''); });
def(G, 'load', function (file) { H.reboot('load()', file === undefined ? '' : String(file)); });
def(G, 'save', function () { H.print('save() is ignored by FakeEspruino: code runs from Storage .bootcde'); });
// echo(0) stops the console echoing what is typed and printing "=value" and the prompt (JSIS_ECHO_OFF).
def(G, 'echo', function (on) { H.echo(!!on); });
def(G, 'getSerial', function () { return cfg.serial; });
def(G, 'setDeepSleep', function () {});
def(G, 'setSleepIndicator', function () {});
def(G, 'setBusyIndicator', function () {});
def(G, 'global', G);
def(G, 'HIGH', 1);
def(G, 'LOW', 0);
def(G, 'btoa', function (s) {
  var t = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', out = '';
  for (var i = 0; i < s.length; i += 3) {
    var n = (s.charCodeAt(i) << 16) | ((s.charCodeAt(i + 1) || 0) << 8) | (s.charCodeAt(i + 2) || 0);
    out += t[(n >> 18) & 63] + t[(n >> 12) & 63] + (i + 1 < s.length ? t[(n >> 6) & 63] : '=') + (i + 2 < s.length ? t[n & 63] : '=');
  }
  return out;
});
def(G, 'atob', function (s) {
  var t = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', out = '', bits = 0, n = 0;
  for (var i = 0; i < s.length; i++) {
    var v = t.indexOf(s[i]);
    if (v < 0) continue;
    n = (n << 6) | v;
    bits += 6;
    if (bits >= 8) { bits -= 8; out += String.fromCharCode((n >> bits) & 255); }
  }
  return out;
});

// ---- require and Modules.addCached
var builtins = {}, modules = {}, sources = {};
def(G, 'Modules', {
  addCached: function (id, src) { sources[id] = src; delete modules[id]; },
  removeCached: function (id) { delete sources[id]; delete modules[id]; },
  removeAllCached: function () { sources = {}; modules = {}; },
  getCached: function () { return Object.keys(sources); }
});
def(G, 'require', function (id) {
  id = String(id);
  if (own(builtins, id)) return builtins[id];
  if (own(modules, id)) return modules[id];
  if (!own(sources, id)) throw new Error('Module ' + id + ' not found');
  var src = sources[id];
  if (typeof src === 'function') { var text = src.toString(); src = text.slice(text.indexOf('{') + 1, strLastIndexOf.call(text, '}')); }
  var module = { exports: {} };
  modules[id] = module.exports;
  new Function('exports', 'module', String(src))(module.exports, module);
  modules[id] = module.exports;
  return module.exports;
});
${PRELUDE_REPL}
`;
