import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MockHal } from '../mock-hal.js';
import { VirtualClock } from '../virtual-clock.js';
import { FakeEspruino, type FakeEspruinoOptions } from './fake-espruino.js';

const nodes: FakeEspruino[] = [];

async function board(code: string, options: Partial<FakeEspruinoOptions> = {}) {
  const clock = new VirtualClock();
  const hal = new MockHal(clock);
  const node = await FakeEspruino.create({ clock, hal, console: 'USB', ...options });
  nodes.push(node);
  node.flash(code);
  return { clock, hal, node };
}

test.after.each(() => {
  for (const node of nodes.splice(0)) node.dispose();
});

test('a debounced watch reports one edge, with the time of the edge, once the bounces stop', async () => {
  const { clock, hal, node } = await board(`
    var events = [];
    setWatch(function (e) { events.push([e.state, e.time, e.lastTime, String(e.pin)]); }, B3,
      { repeat: true, edge: 'rising', debounce: 50 });
  `);
  clock.advance(1000);
  hal.setLevel('B3', 1);
  clock.advance(10);
  hal.setLevel('B3', 0);
  clock.advance(10);
  hal.setLevel('B3', 1); // the last bounce, at 1.020 s
  clock.advance(49);
  assert.equal(node.evaluate('events'), []);
  clock.advance(1);
  assert.equal(node.evaluate('events'), [[true, 1.02, null, 'B3']]);
  hal.setLevel('B3', 0); // at 1.070 s
  clock.advance(100);
  hal.setLevel('B3', 1); // at 1.170 s
  clock.advance(100);
  // The falling edge was not reported, but it is the next rising edge's lastTime.
  assert.equal(node.evaluate('events.length'), 2);
  assert.equal(node.evaluate('events[1]'), [true, 1.17, 1.07, 'B3']);
});

test('a watch without repeat fires once and is gone', async () => {
  const { clock, hal, node } = await board(`
    var n = 0;
    var id = setWatch(function () { n++; }, 'D4', { edge: 'both' });
  `);
  hal.setLevel('D4', 1);
  clock.advance(1);
  hal.setLevel('D4', 0);
  clock.advance(1);
  assert.is(node.evaluate('n'), 1);
  assert.throws(() => node.evaluate('clearWatch(id)'), /Unknown Watch/);
});

test('digitalWrite drives hal.level, analogWrite shows in hal.pwmWrites, analogRead reads hal.setAnalog', async () => {
  const { clock, hal, node } = await board(`
    digitalWrite(B2, 1);
    analogWrite('A8', 0.25, { freq: 200 });
    setTimeout(function () { analogWrite('A8', 0.75, { freq: 200 }); digitalWrite(B2, 0); }, 100);
  `);
  assert.is(hal.level('B2'), 1);
  hal.setAnalog('A0', 0.42);
  assert.is(node.evaluate('analogRead(A0)'), 0.42);
  clock.advance(100);
  assert.is(hal.level('B2'), 0);
  assert.equal(hal.pwmWrites('A8'), [{ time: 0, duty: 0.25 }, { time: 100, duty: 0.75 }]);
  assert.is(hal.duty('A8'), 0.75);
});

test('pin modes switch on use as on Espruino, unless pinMode fixed them', async () => {
  const { clock, hal, node } = await board(`
    var seen = [];
    digitalWrite(D6, 1);
    setWatch(function (e) { seen.push(e.state); }, D7, { repeat: true });
    pinMode(D8, 'input_pullup');
  `);
  assert.is(node.evaluate('getPinMode(D6)'), 'output');
  assert.is(node.evaluate('digitalRead(D6)'), 1); // reads back the level it drove...
  assert.is(node.evaluate('getPinMode(D6)'), 'input'); // ...and is an input from now on
  hal.setLevel('D6', 0);
  assert.is(node.evaluate('digitalRead("D6")'), 0);
  assert.is(node.evaluate('digitalRead(D8)'), 1);
  node.evaluate('digitalWrite(D8, 0)'); // fixed as an input: the write changes nothing
  assert.is(hal.level('D8'), 1);
  node.evaluate('digitalWrite(D7, 1)'); // a watched pin driven by the node sees its own edge
  clock.advance(1);
  assert.equal(node.evaluate('seen'), [true]);
  assert.throws(() => node.evaluate('digitalWrite("Q9", 1)'), /Invalid pin/);
  hal.digitalOut({ pin: 'D9', initial: 0 });
  assert.throws(() => node.evaluate('digitalWrite(D9, 1)'), /already held/);
});

test('an ultrasonic ping is answered with the responder width, and -1 gives no echo', async () => {
  const { clock, hal, node } = await board(`
    var widths = [];
    pinMode(B4, 'output');
    digitalWrite(B4, 0);
    pinMode(B5, 'input');
    setWatch(function (e) { widths.push((e.time - e.lastTime) * 1e6); }, B5, { repeat: true, edge: 'falling' });
    setInterval(function () { digitalPulse(B4, 1, 0.01); }, 100);
  `);
  const asked: number[] = [];
  hal.setEcho('B5', (now) => {
    asked.push(now);
    return 1160.5;
  });
  clock.advance(1000 * 3600 + 50); // an hour in: float times must still resolve microseconds
  const widths = node.evaluate('widths') as number[];
  assert.is(widths.length, 36000);
  for (const w of [widths[0]!, widths[widths.length - 1]!]) assert.ok(Math.abs(w - 1160.5) < 0.01, `width ${w}`);
  assert.ok(Math.abs(asked[0]! - 100.01) < 1e-9, 'asked when the trigger pulse ends');
  hal.setEcho('B5', () => -1);
  clock.advance(1000);
  assert.is(node.evaluate('widths.length'), 36000);
  assert.is(hal.level('B5'), 0);
});

test('two watched echo pins need explicit wiring, which then picks the echo', async () => {
  const { clock, hal, node } = await board(`
    var got = [];
    setWatch(function (e) { got.push('B5'); }, B5, { repeat: true, edge: 'falling' });
    setWatch(function (e) { got.push('B7'); }, B7, { repeat: true, edge: 'falling' });
    setTimeout(function () { digitalPulse(B4, 1, 0.01); }, 10);
  `);
  hal.setEcho('B5', () => 100);
  hal.setEcho('B7', () => 100);
  assert.throws(() => clock.advance(20), /wireUltrasonic/);
  node.wireUltrasonic('B4', 'B7');
  node.evaluate('digitalPulse(B4, 1, 0.01)');
  clock.advance(20);
  assert.equal(node.evaluate('got'), ['B7']);
});

test('timers fire only as the virtual clock advances, and clearing a fired one throws as on Espruino', async () => {
  const { clock, node } = await board(`
    var fired = [];
    var once = setTimeout(function (a, b) { fired.push(a + b); }, 1000, 'x', 'y');
    var every = setInterval(function () { fired.push(getTime()); }, 400);
  `);
  assert.equal(node.evaluate('fired'), []);
  clock.advance(999);
  assert.equal(node.evaluate('fired'), [0.4, 0.8]);
  clock.advance(1);
  assert.equal(node.evaluate('fired'), [0.4, 0.8, 'xy']);
  assert.throws(() => node.evaluate('clearTimeout(once)'), /Unknown Timeout/);
  assert.throws(() => node.evaluate('clearTimeout(undefined)'), /not allowed/);
  node.evaluate('clearInterval(every)');
  clock.advance(5000);
  assert.is(node.evaluate('fired.length'), 3);
});

test('Serial1 carries all 256 byte values as a binary string both ways, in chunks', async () => {
  const { clock, node } = await board(`
    Serial1.setup(115200, { rx: B7, tx: B6 });
    var got = '', sizes = [];
    Serial1.on('data', function (d) {
      got += d;
      sizes.push(d.length);
      if (got.length === 256) Serial1.write(got);
    });
  `);
  assert.equal([node.serial1.baud, node.serial1.rx, node.serial1.tx], [115200, 'B7', 'B6']);
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  const heard: Uint8Array[] = [];
  node.serial1.onWrite((bytes) => heard.push(bytes));
  node.serial1.send(all);
  clock.advance(1);
  assert.equal(node.evaluate('sizes'), [64, 64, 64, 64]);
  assert.equal(node.evaluate('got.split("").map(function (c) { return c.charCodeAt(0); })'), [...all]);
  assert.equal([...node.serial1.writtenBytes()], [...all]);
  assert.is(heard.length, 1);
});

test('while Serial1 is the console its input goes to the REPL and print goes out on it', async () => {
  const { clock, node } = await board(`
    Serial1.setup(9600);
    var got = '';
    Serial1.on('data', function (d) { got += d; });
    print('booted');
  `, { console: 'Serial1' });
  node.serial1.send('lost');
  clock.advance(1);
  assert.is(node.evaluate('got'), '');
  assert.equal(new TextDecoder().decode(node.serial1.writtenBytes()), 'booted\r\n');
  node.evaluate('LoopbackA.setConsole()');
  node.serial1.send('kept');
  clock.advance(1);
  assert.is(node.evaluate('got'), 'kept');
});

test('Storage writes into a sized file at offsets, reads JSON, survives a power cycle and counts writes', async () => {
  const { node } = await board(`
    var f = require('Storage');
    f.write('log', 'Hello', 0, 14);
    f.write('log', ' ', 5);
    f.write('log', 'World!!!', 6);
    f.writeJSON('cfg', { lamp: 30, on: true });
  `);
  assert.is(node.evaluate(`require('Storage').read('log')`), 'Hello World!!!');
  assert.equal(node.evaluate(`require('Storage').readJSON('cfg')`), { lamp: 30, on: true });
  assert.is(node.evaluate(`require('Storage').readJSON('nope', true)`), undefined);
  assert.throws(() => node.evaluate(`require('Storage').write('log', 'X', 3)`), /File already written with different data/);
  assert.throws(() => node.evaluate(`require('Storage').write('log', 'XX', 13)`), /Too much data for file size/);
  assert.equal(node.storage.wearOf('log'), { writes: 3, bytesWritten: 14 });
  node.evaluate(`require('Storage').write('cfg', JSON.stringify({ lamp: 30, on: true }))`); // identical: no wear
  node.powerCycle();
  assert.equal(node.resets.map((r) => r.reason), ['power']);
  assert.is(node.evaluate(`require('Storage').read('log', 6, 5)`), 'World');
  // The boot code runs again: the sized log is rewritten (wear), the unchanged JSON is not.
  assert.equal(node.storage.wearOf('log'), { writes: 6, bytesWritten: 28 });
  assert.equal(node.storage.wearOf('cfg').writes, 1);
});

test("E.on('init') runs after the saved code at boot, and after every power cycle", async () => {
  const { node } = await board(`
    print('top level');
    E.on('init', function () { print('init'); });
  `);
  assert.equal(node.console, ['top level', 'init']);
  node.powerCycle();
  assert.equal(node.console, ['top level', 'init', 'top level', 'init']);
});

test('reset() reboots without the saved code (unless .bootrst), running E.on(kill) first', async () => {
  const { clock, node } = await board(`
    print('booted');
    E.on('kill', function () { print('kill'); });
    setTimeout(function () { reset(); }, 100);
  `);
  clock.advance(200);
  assert.equal(node.console, ['booted', 'kill']);
  assert.equal(node.resets.map((r) => r.reason), ['reset()']);
  assert.is(node.evaluate('typeof print'), 'function');
  node.storage.write('.bootrst', new TextEncoder().encode("print('after reset')"));
  node.evaluate('reset()');
  clock.advance(1);
  assert.equal(node.console.slice(-1), ['after reset']);
});

test('E.reboot() is a hardware reset, reset(true) also drops the saved code, setTime moves getTime and Date', async () => {
  const { clock, node } = await board(`
    print('up ' + Math.round(getTime()));
    E.enableWatchdog(5, false);
    setInterval(function () { E.kickWatchdog(); }, 1000);
  `);
  node.evaluate('setTime(1750000000)');
  assert.is(node.evaluate('Math.round(getTime())'), 1750000000);
  assert.is(node.evaluate('new Date().getUTCFullYear()'), 2025);
  node.evaluate('E.reboot()');
  clock.advance(1);
  assert.equal(node.resets.map((r) => r.reason), ['E.reboot()']);
  assert.is(node.watchdogState(), 'manual'); // off at the reset, enabled again by the code
  assert.equal(node.console.slice(-1), ['up 1750000000']);
  node.evaluate('reset(true)');
  clock.advance(1);
  assert.is(node.storage.read('.bootcde'), undefined);
  assert.is(node.watchdogState(), 'manual'); // a soft reset leaves the watchdog running...
  clock.advance(5000);
  assert.equal(node.resets.map((r) => r.reason), ['E.reboot()', 'reset()', 'watchdog']); // ...and nothing kicks it
});

test('the watchdog reboots a node that stops kicking and leaves one that kicks alone', async () => {
  const program = (kickFor: number) => `
    E.enableWatchdog(1, false);
    var t0 = getTime();
    setInterval(function () { if (getTime() - t0 < ${kickFor}) E.kickWatchdog(); }, 250);
  `;
  const stops = await board(program(5));
  stops.clock.advance(5700);
  assert.equal(stops.node.resets, []);
  stops.clock.advance(100);
  assert.equal(stops.node.resets, [{ reason: 'watchdog', time: 5750 }]);
  assert.is(stops.node.watchdogState(), 'manual'); // the rebooted code enabled it again
  const kicks = await board(program(1e9));
  kicks.clock.advance(60_000);
  assert.equal(kicks.node.resets, []);
  const noWatchdog = await board(program(5), { watchdog: false });
  noWatchdog.clock.advance(60_000);
  assert.equal(noWatchdog.node.resets, []);
  assert.is(noWatchdog.node.watchdogState(), 'off');
});

test('an uncaught exception in a callback is recorded and other timers keep running', async () => {
  const { clock, node } = await board(`
    var ticks = 0;
    setInterval(function () { ticks++; }, 100);
    setTimeout(function failing() { null.x = 1; }, 150);
    E.on('init', function () { undefinedThing(); });
  `);
  clock.advance(1000);
  assert.is(node.evaluate('ticks'), 10);
  assert.equal(node.errors.map((e) => [e.name, e.source]), [['ReferenceError', 'init'], ['TypeError', 'timer']]);
  assert.match(node.errors[1]!.stack, /failing/);
  assert.match(node.console.join('\n'), /Uncaught TypeError: /);
});

test('an endless loop is interrupted and leaves the node hung until a watchdog resets it', async () => {
  const program = (watchdog: string) => `
    ${watchdog}
    var ticks = 0;
    setInterval(function () { ticks++; }, 100);
    setTimeout(function () { for (;;) {} }, 150);
  `;
  const plain = await board(program(''), { cpuBudgetMs: 50 });
  plain.clock.advance(1000);
  assert.equal(plain.node.errors.map((e) => [e.message, e.source]), [['interrupted', 'timer']]);
  assert.ok(plain.node.isHung());
  assert.is(plain.node.evaluate('ticks'), 1); // the board never came back from the loop
  assert.equal(plain.node.resets, []);
  const guarded = await board(program('E.enableWatchdog(2);'), { cpuBudgetMs: 50 });
  guarded.clock.advance(2149);
  assert.equal(guarded.node.resets, []);
  guarded.clock.advance(1);
  assert.equal(guarded.node.resets, [{ reason: 'watchdog', time: 2150 }]);
  assert.not.ok(guarded.node.isHung());
  assert.is(guarded.node.evaluate('ticks'), 0);
});

test('deep recursion throws a stack overflow in the guest instead of taking the test down', async () => {
  const { node } = await board(`
    function down(n) { return n === 0 ? 0 : 1 + down(n - 1); }
    var deep = {}, at = deep;
    for (var i = 0; i < 100000; i++) { at.x = {}; at = at.x; }
  `);
  assert.throws(() => node.evaluate('down(1e6)'), /stack overflow/);
  assert.throws(() => node.evaluate('JSON.stringify(deep)'), /stack overflow/);
  assert.is(node.evaluate('down(50)'), 50);
});

test('a timeout may clear itself from its own callback, as on Espruino', async () => {
  const { clock, node } = await board(`
    var id = setTimeout(function () { clearTimeout(id); print('cleared'); }, 10);
  `);
  clock.advance(10);
  assert.equal(node.errors, []);
  assert.equal(node.console, ['cleared']);
});

test('emit queues listeners for the event loop, as Espruino does', async () => {
  const { clock, node } = await board(`
    var log = [];
    var o = {};
    o.on('ping', function (a, b) { log.push('ping ' + a + b); });
    o.emit('ping', 1, 2);
    log.push('after emit');
  `);
  assert.equal(node.evaluate('log'), ['after emit']);
  clock.advance(0);
  assert.equal(node.evaluate('log'), ['after emit', 'ping 12']);
});

test('no Node.js leaks into the node: no Buffer, no process.versions, no fs, Date on the virtual clock', async () => {
  const { clock, node } = await board('// nothing to run');
  clock.advance(5000);
  assert.equal(node.evaluate(`[typeof Buffer, typeof process.versions, typeof setImmediate, typeof module, Date.now(), getTime()]`),
    ['undefined', 'undefined', 'undefined', 'undefined', 5000, 5]);
  assert.throws(() => node.evaluate(`require('fs')`), /Module fs not found/);
  assert.is(node.evaluate('process.env.VERSION'), '2v29');
  const mem = node.evaluate('process.memory()') as { usage: number; total: number; free: number };
  assert.equal([mem.total, mem.free + mem.usage], [5100, 5100]);
});

// What ESPRUINO.md's "does not work" column lists: the fake must not be more capable than Espruino.
const ABSENT_GLOBALS = ['Symbol', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Proxy', 'Reflect', 'BigInt', 'RangeError'];
const ABSENT_MEMBERS = [
  'Object.freeze', 'Array.from', 'Math.trunc', 'Number.isNaN',
  'Array.prototype.lastIndexOf', 'String.prototype.lastIndexOf', 'Array.prototype.flat', 'Array.prototype.flatMap',
  'Promise.prototype.finally', 'Promise.race', 'Promise.allSettled',
];

for (const name of ABSENT_GLOBALS) {
  test(`${name} is not a global on the node, as on Espruino`, async () => {
    const { node } = await board('// nothing to run');
    assert.is(node.evaluate(`typeof ${name}`), 'undefined');
    assert.throws(() => node.evaluate(name), new RegExp(`ReferenceError: '?${name}'? is not defined`));
  });
}

for (const member of ABSENT_MEMBERS) {
  test(`${member} is missing on the node, as on Espruino`, async () => {
    const { node } = await board('// nothing to run');
    assert.is(node.evaluate(`typeof ${member}`), 'undefined');
  });
}

test('firmware calling a missing built-in fails on the node: the error is recorded, as Espruino would report it', async () => {
  const { node } = await board(`
    var seen = [1, 2, 1].lastIndexOf(1);
  `);
  assert.is(node.errors.length, 1);
  assert.is(node.errors[0]!.name, 'TypeError');
  assert.is(node.evaluate('typeof seen'), 'undefined');
});

test('what Espruino has stays: indexOf, includes, find, Object.assign/keys, Promise.all, typed arrays, Error types', async () => {
  const { node } = await board('// nothing to run');
  assert.equal(node.evaluate(`[
    [1, 2, 1].indexOf(2), 'abcb'.indexOf('b'), [1, 2].includes(2), [1, 2].find(function (x) { return x > 1; }),
    Object.keys(Object.assign({}, { a: 1 })).length, typeof Promise.all, typeof Promise.resolve, typeof Promise.prototype.then,
    typeof Uint8Array.from, typeof Math.floor, typeof isNaN, typeof Error, typeof TypeError, typeof SyntaxError,
    typeof ReferenceError, typeof InternalError
  ]`), [1, 1, true, 2, 1, 'function', 'function', 'function', 'function', 'function', 'function', 'function', 'function', 'function', 'function', 'function']);
});

test('the prelude still works without them: require() of a module given as a function', async () => {
  const { node } = await board(`
    Modules.addCached('twice', function () { exports.twice = function (x) { return x * 2; }; });
  `);
  assert.is(node.evaluate(`require('twice').twice(21)`), 42);
});

test('Math.round rounds halves away from zero, as Espruino does (standard JavaScript rounds -2.5 to -2)', async () => {
  const { node } = await board('// nothing to run');
  assert.equal(node.evaluate('[Math.round(2.5), Math.round(-2.5), Math.round(0.5), Math.round(-0.5), Math.round(1.4), Math.round(-1.6)]'),
    [3, -3, 1, -1, 1, -2]);
  // -0 passes through and (-0.5, 0) gives -0; NaN and the infinities come back as they are.
  assert.equal(node.evaluate('[Math.round(7), Math.round(-7), Math.round(-7.49), String(Math.round(-Infinity))]'), [7, -7, -7, '-Infinity']);
  assert.equal(node.evaluate('[1 / Math.round(-0.3) === -Infinity, 1 / Math.round(-0) === -Infinity, isNaN(Math.round(NaN))]'), [true, true, true]);
});

test('live objects stay flat over many timer callbacks that allocate garbage', async () => {
  const { clock, node } = await board(`
    var keep = { n: 0 };
    setInterval(function () {
      var junk = [];
      for (var i = 0; i < 20; i++) junk.push({ i: i, s: 'x' + i, a: [i, i + 1] });
      keep.n += junk.length;
      keep.last = junk.map(function (j) { return j.i; }).join(',');
    }, 10);
  `);
  clock.advance(10_000);
  const before = node.liveObjects();
  clock.advance(100_000);
  const after = node.liveObjects();
  assert.is(node.evaluate('keep.n'), 220_000);
  assert.ok(after - before <= 2, `live objects grew from ${before} to ${after}`);
});

test('dispose releases the pins, the port and every timer, and repeated boots do not leak', async () => {
  const clock = new VirtualClock();
  const hal = new MockHal(clock);
  const node = await FakeEspruino.create({ clock, hal, console: 'USB' });
  node.flash(`
    digitalWrite(B2, 1);
    setWatch(function () {}, B3, { repeat: true });
    Serial1.setup(9600);
    setInterval(function () { [1, 2, 3].map(String); }, 5);
  `);
  for (let i = 0; i < 20; i++) {
    clock.advance(50);
    node.powerCycle();
  }
  assert.ok(hal.isOpen('B2') && hal.isOpen('B3') && hal.isOpen('Serial1'));
  node.dispose();
  node.dispose();
  assert.not.ok(hal.isOpen('B2') || hal.isOpen('B3') || hal.isOpen('Serial1'));
  assert.is(clock.pending(), 0);
  assert.throws(() => node.liveObjects(), /not running/);
  assert.throws(() => node.boot(), /after dispose/);
});

test.run();
