/**
 * Guest-side JavaScript of the fake Espruino, part 2: pins, watches, serial ports and Storage.
 * Shares its scope with prelude-core.ts (def, guard, toBytes, bytesToStr, handlers...). Pins
 * reach the host as names: a Pin object ('D2'), a name string, or a number n meaning 'D' + n.
 * Everything stateful (pin modes, debounce, echo timing, files) lives on the host; the guest
 * side only keeps the callbacks, keyed by the ids the host hands out.
 */
export const PRELUDE_IO = String.raw`
// ---- pins
function Pin(name) {
  if (!(this instanceof Pin)) return new Pin(name);
  def(this, '_n', String(name));
}
Pin.prototype.toString = function () { return this._n; };
Pin.prototype.read = function () { return H.digitalRead(this._n) === 1; };
Pin.prototype.write = function (v) { H.digitalWrite(this._n, v ? 1 : 0); };
Pin.prototype.set = function () { H.digitalWrite(this._n, 1); };
Pin.prototype.reset = function () { H.digitalWrite(this._n, 0); };
Pin.prototype.mode = function (m) { G.pinMode(this, m); };
Pin.prototype.getMode = function () { return G.getPinMode(this); };
def(G, 'Pin', Pin);
cfg.pins.forEach(function (n) { def(G, n, new Pin(n)); });
Object.keys(cfg.aliases).forEach(function (a) { def(G, a, new Pin(cfg.aliases[a])); });
function pinName(p) {
  if (p instanceof Pin) return p._n;
  if (typeof p === 'string' && p.length > 0) return p;
  if (typeof p === 'number' && p >= 0 && (p | 0) === p) return 'D' + p;
  throw new Error('Invalid pin!');
}
function pinObject(name) {
  var p = G[name];
  return p instanceof Pin && p._n === name ? p : new Pin(name);
}
def(G, 'pinMode', function (pin, mode, automatic) {
  H.pinMode(pinName(pin), mode === undefined ? 'auto' : String(mode), !!automatic);
});
def(G, 'getPinMode', function (pin) { return H.getPinMode(pinName(pin)); });
def(G, 'digitalRead', function (pin) {
  if (Array.isArray(pin)) {
    var v = 0;
    for (var i = 0; i < pin.length; i++) v = (v << 1) | H.digitalRead(pinName(pin[i]));
    return v;
  }
  if (pin !== null && typeof pin === 'object' && !(pin instanceof Pin) && typeof pin.read === 'function') return pin.read();
  return H.digitalRead(pinName(pin));
});
def(G, 'digitalWrite', function (pin, value) {
  if (Array.isArray(pin)) {
    var bits = value === true ? -1 : +value;
    for (var i = pin.length - 1; i >= 0; i--) { H.digitalWrite(pinName(pin[i]), bits & 1); bits >>= 1; }
    return;
  }
  if (pin !== null && typeof pin === 'object' && !(pin instanceof Pin) && typeof pin.write === 'function') return pin.write(value);
  H.digitalWrite(pinName(pin), value ? 1 : 0);
});
def(G, 'digitalPulse', function (pin, value, time) {
  var name = pinName(pin), v = value ? 1 : 0;
  var times = typeof time === 'number' ? [time] : Array.prototype.slice.call(time);
  for (var i = 0; i < times.length; i++) { H.digitalPulse(name, v, +times[i]); v = 1 - v; }
});
def(G, 'analogRead', function (pin) { return H.analogRead(pinName(pin)); });
def(G, 'analogWrite', function (pin, value, options) {
  var freq = options !== undefined && options !== null && +options.freq > 0 ? +options.freq : 0;
  H.analogWrite(pinName(pin), +value, freq);
});

// ---- watches
var watches = {};
def(G, 'setWatch', function (fn, pin, options) {
  var name = pinName(pin), repeat = false, edge = 'both', debounce = 0;
  if (options !== null && typeof options === 'object') {
    repeat = !!options.repeat;
    debounce = +options.debounce;
    if (!(debounce > 0)) debounce = 0;
    var e = options.edge;
    if (e === 1) e = 'rising'; else if (e === -1) e = 'falling'; else if (e === 0 || e === undefined) e = 'both';
    if (e !== 'rising' && e !== 'falling' && e !== 'both') {
      throw new TypeError("'edge' in setWatch should be a string - either 'rising', 'falling' or 'both'");
    }
    edge = e;
  } else repeat = !!options;
  if (typeof fn === 'string') { var src = fn; fn = function () { (0, eval)(src); }; }
  if (typeof fn !== 'function') throw new Error('Function or String not supplied!');
  var id = H.watchSet(name, edge, debounce, repeat);
  watches[id] = fn;
  return id;
});
def(G, 'clearWatch', function (id) {
  if (arguments.length === 0) {
    watches = {};
    H.watchClearAll();
    return;
  }
  if (id === undefined) throw new Error('clearWatch(undefined) not allowed. Use clearWatch() instead.');
  if (!own(watches, id)) throw new Error('Unknown Watch');
  delete watches[id];
  H.watchClear(+id);
});
handlers.watch = function (id, state, time, lastTime, last, name) {
  var fn = watches[id];
  if (fn === undefined) return;
  guard(fn, undefined, [{ state: state === 1, time: time, lastTime: lastTime, pin: pinObject(name) }]);
  if (last && watches[id] === fn) delete watches[id];
};

// ---- serial ports
function Serial(port) { def(this, '_p', port); }
Serial.prototype.setup = function (baud, options) {
  baud = +baud;
  if (!(baud > 0)) baud = 9600;
  var o = options || {};
  // jsserial.c: flow control is off unless asked for ('xon'); anything else is refused.
  if (o.flow !== undefined && o.flow !== null && o.flow !== 'none' && o.flow !== 'xon') throw new Error('Invalid flow control: ' + JSON.stringify(o.flow));
  H.serialSetup(this._p, baud, o.rx === undefined ? '' : pinName(o.rx), o.tx === undefined ? '' : pinName(o.tx));
  H.serialFlow(this._p, o.flow === 'xon');
};
Serial.prototype.write = function () {
  var b = toBytes(arguments);
  if (b.length > 0) H.serialWrite(this._p, b.buffer);
};
Serial.prototype.print = function (s) { this.write(String(s)); };
Serial.prototype.println = function (s) { this.write(String(s) + '\r\n'); };
Serial.prototype.setConsole = function () { H.setConsole(this._p); };
Serial.prototype.available = function () { return 0; };
Serial.prototype.read = function () { return ''; };
Serial.prototype.toString = function () { return this._p; };
def(G, 'Serial', Serial);
cfg.serialPorts.forEach(function (p) { def(G, p, new Serial(p)); });
handlers.serial = function (port, buffer) {
  var dev = G[port], s = bytesToStr(new Uint8Array(buffer));
  if (listenersOf(dev, 'data').length > 0) return emitNow(dev, 'data', [s]);
  if (!own(dev, '#buf')) def(dev, '#buf', '');
  dev['#buf'] += s;
};

// ---- Storage
function fileName(n) { return String(n); }
var storage = {
  read: function (name, offset, length) {
    var b = H.storageRead(fileName(name), offset | 0, length | 0);
    return b === undefined ? undefined : bytesToStr(new Uint8Array(b));
  },
  readArrayBuffer: function (name) { return H.storageRead(fileName(name), 0, 0); },
  readJSON: function (name, noExceptions) {
    var s = storage.read(name);
    if (s === undefined) return undefined;
    try { return JSON.parse(s); } catch (e) { if (noExceptions) return undefined; throw e; }
  },
  write: function (name, data, offset, size) {
    offset = offset | 0;
    size = size | 0;
    if (data !== null && typeof data === 'object' && !Array.isArray(data) && !ArrayBuffer.isView(data) && !(data instanceof ArrayBuffer)) {
      data = JSON.stringify(data);
      offset = 0;
      size = 0;
    }
    if (typeof data === 'string' && /[^\u0000-\u00ff]/.test(data)) data = unescape(encodeURIComponent(data));
    return H.storageWrite(fileName(name), toBytes([data]).buffer, offset, size);
  },
  writeJSON: function (name, data) { return storage.write(name, JSON.stringify(data)); },
  erase: function (name) { H.storageErase(fileName(name)); },
  eraseAll: function () { H.storageEraseAll(); },
  list: function (regex) {
    var names = JSON.parse(H.storageList());
    return regex === undefined ? names : names.filter(function (n) { return n.match(regex) !== null; });
  },
  getFree: function () { return H.storageFree(); },
  compact: function () {}
};
builtins.Storage = storage;
`;
