import { crc32 } from 'node:zlib';
import { SerialPortStream } from '@serialport/stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LAMP_PINS, lampConfig } from '../devices/lamp-config.js';
import { firmwareFor, nodeBuild } from './bundle-node.js';
import { bannerText } from './espruino/repl-text.js';
import { GatewayEnd } from './gateway-end.js';
import { runClock, settle } from './run-clock.js';
import { UsbSerialBoard } from './usb-serial-board.js';
import { VirtualClock } from './virtual-clock.js';

const XOFF = 0x13;
const XON = 0x11;
const boards: UsbSerialBoard[] = [];
let n = 0;

/** The laptop's end: serialport's stream on the adapter, a writer that honours XON/XOFF. */
class Laptop {
  text = '';
  bytes: number[] = [];
  paused = false;
  xoffs = 0;
  onBytes: ((chunk: Buffer) => void) | undefined;
  private resume: (() => void) | undefined;

  constructor(readonly port: SerialPortStream) {
    port.on('data', (chunk: Buffer) => {
      for (const b of chunk) {
        if (b === XOFF) {
          this.paused = true;
          this.xoffs++;
        } else if (b === XON) {
          this.paused = false;
          this.resume?.();
        }
      }
      this.bytes.push(...chunk);
      this.text += chunk.toString('latin1');
      this.onBytes?.(chunk);
    });
  }

  static async open(board: UsbSerialBoard, baudRate: number): Promise<Laptop> {
    const port = new SerialPortStream({ binding: board.binding, path: board.path, baudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    return new Laptop(port);
  }

  /** Writes in 32-byte pieces, each after the last is on the wire, stopping while XOFF holds. */
  async send(text: string, honourXoff = true): Promise<void> {
    const bytes = Buffer.from(text, 'latin1');
    for (let at = 0; at < bytes.length; at += 32) {
      if (honourXoff && this.paused) await new Promise<void>((resolve) => (this.resume = resolve));
      await new Promise<void>((resolve, reject) => this.port.write(bytes.subarray(at, at + 32), (err) => (err ? reject(err) : resolve())));
    }
  }

  async speed(baudRate: number): Promise<void> {
    await new Promise<void>((resolve, reject) => this.port.update({ baudRate }, (err) => (err ? reject(err) : resolve())));
  }

  async close(): Promise<void> {
    if (this.port.isOpen) await new Promise((resolve) => this.port.close(resolve));
  }
}

async function fresh(options: { totalVars?: number } = {}) {
  const clock = new VirtualClock();
  const board = await UsbSerialBoard.create({ clock, path: `/dev/ttyUSB-board${++n}`, ...options });
  boards.push(board);
  return { clock, board };
}

/** Runs the virtual clock until `done` (or `limitMs` of virtual time), settling I/O on the way. */
async function until(clock: VirtualClock, done: () => boolean, limitMs: number, stepMs = 1): Promise<void> {
  const end = clock.now() + limitMs;
  while (!done() && clock.now() < end) await runClock(clock, stepMs, stepMs);
}

/** Runs `work` to completion while driving the clock. */
async function driven<T>(clock: VirtualClock, work: Promise<T>, limitMs: number): Promise<T> {
  let finished = false;
  const result = work.finally(() => (finished = true));
  await until(clock, () => finished, limitMs);
  if (!finished) throw new Error(`still running after ${limitMs} ms of virtual time`);
  return result;
}

test.after.each(async () => {
  for (const b of boards.splice(0)) b.dispose();
  await settle();
});

test('power-on over the adapter: a laptop at 9600 baud reads the banner and the prompt, paced by the wire', async () => {
  const { clock, board } = await fresh();
  const laptop = await Laptop.open(board, 9600);
  board.powerOn();
  const expected = bannerText('2v29', 'PICO_R1_3') + '>';
  await until(clock, () => laptop.text.length >= expected.length, 2000);
  assert.is(laptop.text, expected);
  // 10 bits a byte at 9600 baud: the banner cannot arrive faster than ~1.04 ms per byte.
  assert.ok(clock.now() >= (expected.length * 10 * 1000) / 9600, `arrived by ${clock.now()} ms`);
  await driven(clock, laptop.send('6*7\n'), 1000);
  await until(clock, () => laptop.text.endsWith('=42\r\n>'), 1000);
  assert.ok(laptop.text.endsWith('6*7\r\n=42\r\n>'));
  await laptop.close();
});

test("a write resolves only once its bytes are on the wire (96 bytes at 9600 baud: 100 ms)", async () => {
  const { clock, board } = await fresh();
  const laptop = await Laptop.open(board, 9600);
  board.powerOn();
  await until(clock, () => laptop.text.endsWith('>'), 2000);
  const start = clock.now();
  await driven(clock, new Promise<void>((resolve) => laptop.port.write(Buffer.alloc(96, 0x20), () => resolve())), 1000);
  assert.ok(clock.now() - start >= 100 && clock.now() - start < 105, `took ${clock.now() - start} ms`);
  await laptop.close();
});

test('a laptop at the wrong speed reads noise, never the banner, and the board makes nothing of its bytes', async () => {
  const { clock, board } = await fresh();
  const laptop = await Laptop.open(board, 115200);
  board.powerOn();
  await until(clock, () => false, 1500);
  assert.ok(laptop.bytes.length > 100, 'something arrived');
  assert.not.ok(laptop.text.includes('espruino'));
  assert.ok(laptop.bytes.every((b) => b === 0 || b >= 0x80), 'noise: breaks and high-bit junk');
  await driven(clock, laptop.send('print("hi")\n'), 1000);
  await until(clock, () => false, 500);
  assert.not.ok(laptop.text.includes('hi'));
  assert.is(board.node.replStats().linesRun, 0);
  await laptop.close();
});

test('XOFF reaches a writer that waits for each write: with flow control a flood loses nothing', async () => {
  const { clock, board } = await fresh();
  const laptop = await Laptop.open(board, 9600);
  board.powerOn();
  await until(clock, () => laptop.text.endsWith('>'), 2000);
  await driven(clock, laptop.send("\x10Serial1.setup(115200, {flow:'xon'})\n"), 1000);
  await until(clock, () => board.node.serial1.baud === 115200, 1000);
  await laptop.speed(115200);
  let text = `\x10var big = "${'x'.repeat(8000)}";\n`;
  for (let i = 0; i < 60; i++) text += `\x10var n${i} = ${i};\n`;
  await driven(clock, laptop.send(text), 10_000);
  await until(clock, () => false, 500);
  const stats = board.node.replStats();
  assert.ok(laptop.xoffs >= 1 && stats.xoffSent === laptop.xoffs && stats.xonSent === stats.xoffSent, JSON.stringify(stats));
  assert.is(stats.bytesLost, 0);
  assert.is(board.node.evaluate('n59 + big.length'), 8059);
  await laptop.close();
});

test('a frozen board answers nothing over the wire; unplugging fails the port and opens until replugged', async () => {
  const { clock, board } = await fresh();
  const laptop = await Laptop.open(board, 9600);
  board.powerOn();
  await until(clock, () => laptop.text.endsWith('>'), 2000);
  laptop.text = '';
  board.node.freeze();
  await driven(clock, laptop.send('1+1\n'), 1000);
  await until(clock, () => false, 3000);
  assert.is(laptop.text, '');
  const closed = new Promise<unknown>((resolve) => laptop.port.on('close', resolve));
  board.unplug();
  await settle();
  assert.ok(((await closed) as { disconnected?: boolean }).disconnected);
  const refused = await Laptop.open(board, 9600).then(() => 'opened', (e: Error) => e.message);
  assert.match(refused, /No such file or directory/);
  board.replug();
  board.failOpens('Error: Permission denied, cannot open x');
  const denied = await Laptop.open(board, 9600).then(() => 'opened', (e: Error) => e.message);
  assert.match(denied, /Permission denied/);
});

test('load() after writing a Kerb bundle into .bootcde boots it, and the node speaks the link on Serial1', async () => {
  const { clock, board } = await fresh();
  const code = firmwareFor(nodeBuild('lamp', LAMP_PINS, lampConfig(), 'lamp-flashed'));
  const data = Buffer.from(code, 'utf8');
  const laptop = await Laptop.open(board, 9600);
  board.powerOn();
  await until(clock, () => laptop.text.endsWith('>'), 2000);
  // As a flasher would: a faster line first, then the bundle in chunks, checked, then load().
  await driven(clock, laptop.send('\x10Serial1.setup(115200)\n'), 1000);
  await until(clock, () => board.node.serial1.baud === 115200, 1000);
  await laptop.speed(115200);
  laptop.text = '';
  let upload = '';
  for (let at = 0; at < data.length; at += 768) {
    const chunk = data.subarray(at, at + 768).toString('base64');
    upload += `\x10require("Storage").write(".bootcde",atob("${chunk}"),${at}${at === 0 ? `,${data.length}` : ''});\n`;
  }
  upload += '\x10print("crc=" + E.CRC32(require("Storage").read(".bootcde")))\n';
  await driven(clock, laptop.send(upload), 60_000);
  await until(clock, () => /crc=\d+\r\n/.test(laptop.text), 2000);
  assert.match(laptop.text, new RegExp(`crc=${crc32(data)}\\r\\n`));
  assert.is(board.node.replStats().bytesLost, 0);

  const gw = new GatewayEnd(clock, (bytes) => void laptop.port.write(Buffer.from(bytes)), { deferOpen: true });
  laptop.onBytes = (chunk) => gw.receive(new Uint8Array(chunk));
  await driven(clock, laptop.send('\x10load()\n'), 1000);
  gw.open();
  await until(clock, () => gw.hellos.length > 0, 5000, 5);
  assert.equal([gw.hellos[0]!.id, gw.hellos[0]!.kind], ['lamp-flashed', 'lamp']);
  assert.is(board.node.consoleOn(), 'LoopbackA');
  assert.equal(board.node.errors, []);
  assert.is(board.node.resets.at(-1)!.reason, 'load()');
  await laptop.close();
});

test.run();
