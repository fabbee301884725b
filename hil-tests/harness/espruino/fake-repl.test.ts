import { crc32 } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MockHal } from '../mock-hal.js';
import { VirtualClock } from '../virtual-clock.js';
import { FakeEspruino, type FakeEspruinoOptions } from './fake-espruino.js';
import { bannerText } from './repl-text.js';

const nodes: FakeEspruino[] = [];
const XOFF = '\x13';
const XON = '\x11';

/** A board whose console is Serial1 with the REPL, powered on, its output captured as text. */
async function board(options: Partial<FakeEspruinoOptions> = {}) {
  const clock = new VirtualClock();
  const hal = new MockHal(clock);
  const node = await FakeEspruino.create({ clock, hal, repl: true, ...options });
  nodes.push(node);
  let out = '';
  node.serial1.onWrite((bytes) => {
    out += String.fromCharCode(...bytes);
  });
  node.boot();
  clock.advance(1);
  return {
    clock, node,
    /** What the board printed since the last call. */
    output(): string {
      const text = out;
      out = '';
      return text;
    },
    /** Types `text` all at once and lets the board answer. */
    type(text: string, ms = 100): void {
      node.serial1.send(text);
      clock.advance(ms);
    },
    /** Sends at `bytesPerMs` (115200 baud is 11.5), pausing on XOFF when `honourXoff`. */
    stream(text: string, o: { bytesPerMs: number; honourXoff: boolean }): void {
      let at = 0;
      let paused = false;
      for (let guard = 0; at < text.length && guard < 1e6; guard++) {
        const seen = out.lastIndexOf(XOFF) > out.lastIndexOf(XON);
        paused = o.honourXoff && seen;
        if (!paused) {
          node.serial1.send(text.slice(at, at + o.bytesPerMs));
          at += o.bytesPerMs;
        }
        clock.advance(1);
      }
      clock.advance(2000);
    },
  };
}

test.after.each(() => {
  for (const node of nodes.splice(0)) node.dispose();
});

test('power-on prints the banner with the version, then the prompt', async () => {
  const b = await board();
  const out = b.output();
  assert.is(out, bannerText('2v29', 'PICO_R1_3') + '>');
  assert.ok(out.includes(' 2v29 (c) 2021 G.Williams\r\n'));
  assert.not.ok(out.includes('Donate'), 'a Pico is an official board: no request for donations');
  const other = await board({ board: 'NUCLEOF401RE' });
  assert.ok(other.output().includes('http://espruino.com/Donate\r\n'));
});

test('typed characters are echoed and a line prints =value and a new prompt', async () => {
  const b = await board();
  b.output();
  b.type('1+2\n');
  assert.is(b.output(), '1+2\r\n=3\r\n>');
  b.type('var s = "a\\tb" + 1\n');
  assert.is(b.output(), 'var s = "a\\tb" + 1\r\n=undefined\r\n>');
  b.type('s\n');
  assert.is(b.output(), 's\r\n="a\\tb1"\r\n>');
  b.type('[1, "x", null, {a: true, "b-c": [ ]}]\n');
  assert.is(b.output(), '[1, "x", null, {a: true, "b-c": [ ]}]\r\n=[ 1, "x", null, { a: true, "b-c": [ ] } ]\r\n>');
  b.type('\n');
  assert.is(b.output(), '\r\n>', 'an empty line: no "=", a new prompt');
});

test('a DLE line is not echoed and prints no =value and no prompt; what it prints comes out', async () => {
  const b = await board();
  b.output();
  b.type('\x10x = 42\n');
  assert.is(b.output(), '');
  assert.is(b.node.evaluate('x'), 42);
  b.type('\x10print(x)\n');
  // print() took the (shown) prompt away, so the idle loop puts it back.
  assert.is(b.output(), '42\r\n>');
});

test('echo(0) silences echo, =value and the prompt until echo(1)', async () => {
  const b = await board();
  b.output();
  b.type('echo(0)\n');
  assert.is(b.output(), 'echo(0)\r\n');
  b.type('1+1\n');
  assert.is(b.output(), '');
  b.type('echo(1)\n');
  assert.is(b.output(), '=undefined\r\n>');
});

test('Ctrl-C wipes a half-typed line, which then never runs', async () => {
  const b = await board();
  b.output();
  b.type('y=1');
  assert.is(b.output(), 'y=1');
  b.type('\x03');
  assert.is(b.output(), '\x1b[D\x1b[D\x1b[D\r\x1b[J>');
  b.type('typeof y\n');
  assert.is(b.output(), 'typeof y\r\n="undefined"\r\n>');
});

test('a line with open brackets continues after ":" and runs once they close', async () => {
  const b = await board();
  b.output();
  b.type('function f(a) {\n');
  assert.is(b.output(), 'function f(a) {\r\n:');
  b.type('  return a * 2;\n');
  assert.is(b.output(), '  return a * 2;\r\n:');
  b.type('}\n');
  assert.is(b.output(), '}\r\n=undefined\r\n>');
  b.type('f(21)\n');
  assert.is(b.output(), 'f(21)\r\n=42\r\n>');
  b.type('"(" + \'[\'\n');
  assert.is(b.output(), '"(" + \'[\'\r\n="(["\r\n>', 'brackets inside strings do not count');
});

test('an exception is reported as Uncaught, with no =value, and the REPL carries on', async () => {
  const b = await board();
  b.output();
  b.type('nothing.here\n');
  const out = b.output();
  assert.match(out, /^nothing\.here\r\nUncaught ReferenceError: [^\r]*nothing[^\r]*\r\n>$/);
  assert.is(b.node.errors.length, 1);
  b.type('2*3\n');
  assert.is(b.output(), '2*3\r\n=6\r\n>');
});

test('Storage.write in chunks from DLE lines stores the bytes: E.CRC32 on the board equals zlib crc32', async () => {
  const b = await board();
  const data = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7 + (i >> 8)) & 255);
  const b64 = Buffer.from(data).toString('base64');
  b.type(`\x10require("Storage").write("blob",atob("${Buffer.from(data.subarray(0, 1000)).toString('base64')}"),0,${data.length})\n`, 500);
  for (let at = 1000; at < data.length; at += 1000) {
    b.type(`\x10require("Storage").write("blob",atob("${Buffer.from(data.subarray(at, at + 1000)).toString('base64')}"),${at})\n`, 500);
  }
  b.output();
  b.type('E.CRC32(require("Storage").read("blob"))\n');
  assert.is(b.output(), `E.CRC32(require("Storage").read("blob"))\r\n=${crc32(data)}\r\n>`);
  assert.equal([...b.node.storage.read('blob')!], [...data]);
  assert.ok(b64.length > 3000);
  assert.is(b.node.replStats().linesRun, 4);
});

/** One long line (6000 characters: 60 ms of parsing) and then more lines behind it. */
function flood(): string {
  let text = `\x10var big = "${'x'.repeat(6000)}";\n`;
  for (let i = 0; i < 40; i++) text += `\x10var n${i} = ${i};\n`;
  return text + '\x10var done = true;\n';
}

test('with flow control on, a flood gets XOFF past the high mark and XON once drained; nothing is lost', async () => {
  const b = await board();
  b.type("\x10Serial1.setup(9600, {flow:'xon'})\n");
  b.output();
  b.stream(flood(), { bytesPerMs: 12, honourXoff: true });
  const out = b.output();
  const stats = b.node.replStats();
  assert.ok(out.includes(XOFF) && out.indexOf(XON) > out.indexOf(XOFF), JSON.stringify(out));
  assert.ok(stats.xoffSent >= 1 && stats.xonSent === stats.xoffSent, JSON.stringify(stats));
  assert.is(stats.bytesLost, 0);
  assert.ok(stats.fifoHighWater > 380 && stats.fifoHighWater <= 508, `high water ${stats.fifoHighWater}`);
  assert.is(b.node.evaluate('done && n39'), 39);
  assert.equal(b.node.evaluate('E.getErrorFlags()'), []);
});

test('a writer that ignores XOFF overflows the FIFO: bytes are lost and FIFO_FULL is flagged', async () => {
  const b = await board();
  b.type("\x10Serial1.setup(9600, {flow:'xon'})\n");
  b.output();
  b.stream(flood(), { bytesPerMs: 12, honourXoff: false });
  const out = b.output();
  const stats = b.node.replStats();
  assert.ok(out.includes(XOFF));
  assert.ok(stats.bytesLost > 0 && stats.fifoHighWater === 508, JSON.stringify(stats));
  assert.ok(out.includes('New interpreter error: FIFO_FULL\r\n'), JSON.stringify(out));
  // What survived of the flood may be a half DLE line: Ctrl-C drops it, but the echo stays off
  // until a line runs (jsiClearInputLine leaves JSIS_ECHO_OFF_FOR_LINE alone): an empty one does.
  b.type('\x03\n');
  b.output();
  b.type('E.getErrorFlags()\n');
  const flags = b.output();
  assert.ok(flags.includes('=[ "FIFO_FULL" ]'), JSON.stringify(flags));
  b.type('E.getErrorFlags()\n');
  assert.ok(b.output().includes('=[ ]'), 'reading the flags clears them');
});

test('flow control is off on a UART unless its setup asked for it: no XOFF, just loss', async () => {
  const b = await board();
  b.output();
  b.stream(flood(), { bytesPerMs: 12, honourXoff: true });
  const out = b.output();
  assert.not.ok(out.includes(XOFF));
  assert.ok(b.node.replStats().bytesLost > 0);
  assert.throws(() => b.node.evaluate("Serial1.setup(9600, {flow:'rts'})"), /Invalid flow control/);
});

test('a line too big for free memory is refused with Out of Memory, dropped, and the REPL still answers', async () => {
  const b = await board({ totalVars: 300 });
  b.output();
  b.stream(`\x10var huge = "${'y'.repeat(5000)}";\n`, { bytesPerMs: 12, honourXoff: true });
  // A DLE line: the messages, and no prompt after them (the echo was off for the line).
  assert.is(b.output(), 'ERROR: Out of Memory!\r\nExecution Interrupted\r\nNew interpreter error: LOW_MEMORY,MEMORY\r\n');
  assert.is(b.node.evaluate('typeof huge'), 'undefined');
  assert.is(b.node.replStats().linesRun, 0);
  b.type('1+1\n');
  assert.is(b.output(), '1+1\r\n=2\r\n>');
});

test('a frozen board answers nothing, and answers again once unfrozen', async () => {
  const b = await board();
  b.output();
  b.node.freeze();
  b.type('1+1\n', 5000);
  assert.is(b.output(), '');
  b.node.unfreeze();
  b.clock.advance(10);
  assert.is(b.output(), '1+1\r\n=2\r\n>');
});

test('reset() answers, then reboots into the banner; moving the console says so on the old one', async () => {
  const b = await board();
  b.output();
  b.type('reset()\n');
  assert.is(b.output(), 'reset()\r\n=undefined\r\n' + bannerText('2v29', 'PICO_R1_3') + '>');
  b.type('LoopbackA.setConsole()\n');
  assert.is(b.output(), 'LoopbackA.setConsole()\r\n-> LoopbackA\r\n', 'the answer goes to the new console');
  b.type('1+1\n');
  assert.is(b.output(), '', 'Serial1 is no longer the console');
});

test.run();
