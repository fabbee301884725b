/**
 * `kerb flash` end to end against a fake Espruino behind a USB-serial adapter on
 * @serialport/binding-mock: the REPL with its banner, DLE lines, XON/XOFF and Storage, the
 * compiled bundle booting in QuickJS and saying hello over the link; and every failure path
 * with its own error code, leaving the node in a known state.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FlashError, type FlashErrorCode } from '../../scripts/flash/flash-error.js';
import { closeLine } from '../../scripts/flash/board-connection.js';
import { flash, type FlashResult } from '../../scripts/flash/flasher.js';
import { ReplSession } from '../../scripts/flash/repl-session.js';
import { FakeStorage } from '../harness/espruino/fake-storage.js';
import { tempDir } from '../harness/temp-dir.js';
import { bench, corruptingOpener, driven, imageOf, lampBuild, type Bench } from './flash-rig.js';

const benches: Bench[] = [];

async function fresh(...args: Parameters<typeof bench>): Promise<Bench> {
  const b = await bench(...args);
  benches.push(b);
  return b;
}

test.after.each(async () => {
  for (const b of benches.splice(0)) await b.dispose();
});

async function failure(work: Promise<unknown>): Promise<FlashError> {
  try {
    await work;
  } catch (err) {
    if (err instanceof FlashError) return err;
    throw err;
  }
  throw new Error('expected the flash to fail');
}

async function expectCode(b: Bench, work: Promise<unknown>, code: FlashErrorCode, limitMs = 600_000): Promise<FlashError> {
  const err = await failure(driven(b.clock, work, limitMs));
  assert.is(err.code, code, `${err.code}: ${err.message}`);
  assert.ok(err.next.length > 10, 'says what to do next');
  return err;
}

function bootCode(b: Bench): string | undefined {
  return b.board.node.storage.readText('.bootcde');
}

/** Flashes `fw` onto a bare board; the bench is left with Kerb `fw` running. */
async function flashed(b: Bench, fw: string): Promise<FlashResult> {
  return driven(b.clock, flash(b.options(imageOf(lampBuild(fw)))));
}

test('a bare board: found at 9600 baud, uploaded at 115200 with progress and ETA, checked, booted, and it says hello', async () => {
  const b = await fresh();
  const image = imageOf(lampBuild('0.3.0'));
  const result = await driven(b.clock, flash(b.options(image)));
  assert.is(result.hello.fw, '0.3.0');
  assert.is(result.hello.kind, 'lamp');
  assert.is(result.hello.boot, 1);
  assert.is(result.board.version, '2v29');
  assert.is(result.bytes, image.code.length);
  assert.is(result.previous, undefined);
  // The node runs the uploaded bundle in QuickJS: its boot code is the bundle, the REPL has
  // moved off Serial1 for the link, and no guest code failed.
  assert.is(bootCode(b), image.code);
  assert.is(b.board.node.consoleOn(), 'LoopbackA');
  assert.is(b.board.node.errors.length, 0, JSON.stringify(b.board.node.errors));
  assert.not.ok(b.board.node.storage.list().includes('kerb.new'), 'no staging file left');
  const manifest = JSON.parse(b.board.node.storage.readText('kerb.fw')!) as { fw: string; crc32: string };
  assert.is(manifest.fw, '0.3.0');
  assert.is(manifest.crc32, result.crc32);
  // Progress: monotonic, ends at the total, with an ETA once a few chunks have gone.
  assert.ok(b.progress.length >= 10);
  assert.is(b.progress.at(-1)!.done, image.code.length);
  assert.ok(b.progress.every((p, i) => i === 0 || p.done > b.progress[i - 1]!.done));
  assert.ok(b.progress.some((p) => p.etaMs !== undefined && p.etaMs > 0));
  assert.ok(b.logs.some((l) => l.includes('uploading at 115200 baud')), b.logs.join('\n'));
  assert.is(b.board.node.replStats().bytesLost, 0);
});

test('XON/XOFF is honoured: lines sent while the board programs flash pause on XOFF and lose nothing', async () => {
  // One line at a time (as flash sends) never fills the board's buffer; several lines sent
  // while it is busy writing flash do, and that is what flow control is for.
  // A board that programs flash slower than 9600 baud delivers (an nRF52 erasing pages, say).
  const b = await fresh({ replCosts: { msPerStorageByte: 2, msPerStorageWrite: 20 } });
  const line = await b.opener(b.board.path, 9600);
  const session = new ReplSession(line, b.clock);
  await driven(b.clock, session.waitFor(/>$/, 3_000));
  await driven(b.clock, session.call("Serial1.setup(9600,{flow:'xon'}),1", 2_000, 'switching on flow control'));
  let burst = '';
  for (let i = 0; i < 24; i++) burst += `\x10require('Storage').write('f${i}','${'x'.repeat(400)}')\n`;
  await driven(b.clock, session.send(burst));
  const files = await driven(b.clock, session.call<number>("require('Storage').list().filter(function(n){return n[0]==='f';}).length", 30_000, 'counting'));
  assert.is(files, 24);
  assert.ok(session.stats.xoffs > 0, 'the board said XOFF and the session waited');
  const stats = b.board.node.replStats();
  assert.is(stats.bytesLost, 0);
  assert.is(stats.xoffSent, stats.xonSent);
  session.detach();
  await closeLine(line);
});

test('re-flashing a node that runs Kerb: it is asked to stop for maintenance, then flashed, and reports the old version', async () => {
  const b = await fresh();
  await flashed(b, '0.3.0');
  const result = await driven(b.clock, flash(b.options(imageOf(lampBuild('0.4.0')))));
  assert.is(result.previous, '0.3.0');
  assert.is(result.hello.fw, '0.4.0');
  assert.ok(b.logs.some((l) => /runs Kerb 0\.3\.0.*maintenance/.test(l)), b.logs.join('\n'));
  assert.ok(b.board.node.resets.some((r) => r.reason === 'reset()'), 'the node reset itself for maintenance');
});

test('an older bundle than the installed one is refused; --force flashes it with a warning', async () => {
  const b = await fresh();
  await flashed(b, '0.4.0');
  const before = bootCode(b);
  const err = await expectCode(b, flash(b.options(imageOf(lampBuild('0.3.0')))), 'E_ROLLBACK');
  assert.match(err.message, /Kerb 0\.4\.0.*0\.3\.0, older.*the node runs its previous firmware \(Kerb 0\.4\.0\) again/);
  assert.is(bootCode(b), before, 'nothing written');
  // Refused is not stopped: the node that was asked for maintenance runs its firmware again.
  await driven(b.clock, new Promise<void>((resolve) => b.clock.setTimeout(resolve, 1_000)));
  assert.is(b.board.node.consoleOn(), 'LoopbackA');
  const forced = await driven(b.clock, flash(b.options(imageOf(lampBuild('0.3.0')), { force: true })));
  assert.is(forced.hello.fw, '0.3.0');
  assert.ok(b.warnings.some((w) => w.includes('--force')));
});

test('no such port, a busy port and a port without permission each fail with their own code', async () => {
  const b = await fresh();
  const image = imageOf(lampBuild('0.3.0'));
  await expectCode(b, flash(b.options(image, { path: '/dev/ttyUSB-nothing-here' })), 'E_PORT_MISSING');
  b.board.failOpens('Error Resource temporarily unavailable Cannot lock port');
  await expectCode(b, flash(b.options(image)), 'E_PORT_BUSY');
  b.board.failOpens('Error: Permission denied, cannot open /dev/ttyUSB0');
  const denied = await expectCode(b, flash(b.options(image)), 'E_PORT_ACCESS');
  assert.match(denied.next, /dialout/);
});

test('a board that does not answer (unpowered) is not Espruino, and says what it heard', async () => {
  const b = await fresh({}, false);
  const err = await expectCode(b, flash(b.options(imageOf(lampBuild('0.3.0')))), 'E_NOT_ESPRUINO');
  assert.match(err.message, /tried 115200, 9600 baud.*sent nothing/);
});

test('a board at another speed sends noise: not Espruino, with what it heard, and the speeds tried', async () => {
  const b = await fresh();
  const err = await expectCode(b, flash(b.options(imageOf(lampBuild('0.3.0')), { replBauds: [115200] })), 'E_NOT_ESPRUINO');
  assert.match(err.message, /tried 115200 baud\); it sent: "[^"]+"/);
  assert.match(err.next, /--repl-baud/);
});

test('an install that fails (Storage full at the last moment) says the node may not start, and keeps the upload', async () => {
  const b = await fresh();
  const image = imageOf(lampBuild('0.3.0'));
  let filled = false;
  const err = await failure(driven(b.clock, flash(b.options(image)), 600_000, 2, () => {
    if (!filled && b.progress.at(-1)?.done === image.code.length) {
      // Something else takes the room the boot code needed, between the upload and the install.
      b.board.node.storage.write('hog', new Uint8Array(b.board.node.storage.getFree() - 1024).fill(0x20));
      filled = true;
    }
  }));
  assert.is(err.code, 'E_INSTALL', err.message);
  assert.match(err.message, /installing the boot code failed .*may not start/);
  assert.ok(b.board.node.storage.list().includes('kerb.new'), 'the staged copy is kept for the retry');
  assert.is(b.board.node.storage.readText('kerb.fw'), undefined, 'no manifest claims a version that is not installed');
});

test('too little Storage or RAM is refused before anything is written', async () => {
  const small = await fresh({ totalVars: 1500 });
  const ram = await expectCode(small, flash(small.options(imageOf(lampBuild('0.3.0')))), 'E_MEMORY');
  assert.match(ram.message, /1500 JsVars.*no saved code and waits at its REPL/);
  assert.is(bootCode(small), undefined);
  const tiny = await fresh({ storage: new FakeStorage({ capacityBytes: 64 * 1024 }) });
  const flashErr = await expectCode(tiny, flash(tiny.options(imageOf(lampBuild('0.3.0')))), 'E_MEMORY');
  assert.match(flashErr.message, /Storage has \d+ bytes free; this firmware needs \d+/);
  assert.is(bootCode(tiny), undefined);
});

test('a board whose RAM is full answers "Out of Memory" to a line: that is a memory failure, not a timeout', async () => {
  const b = await fresh();
  // Something on the board holds nearly all of its RAM (an old program's data, say).
  b.board.node.evaluate('var hog = []; var i = 0; while (process.memory().free > 20) hog.push([i++, i, i]); hog.length');
  const err = await expectCode(b, flash(b.options(imageOf(lampBuild('0.3.0')))), 'E_MEMORY', 60_000);
  assert.match(err.message, /ran out of memory while asking what it is/);
  assert.is(bootCode(b), undefined);
});

test('a board that stops answering mid-upload times out, and its old firmware is still what boots', async () => {
  const b = await fresh();
  await flashed(b, '0.3.0');
  const before = bootCode(b);
  b.progress.length = 0;
  const work = flash(b.options(imageOf(lampBuild('0.4.0'))));
  const err = await failure(driven(b.clock, work, 600_000, 2, () => {
    if (b.progress.length > 0 && b.progress.at(-1)!.done > 10_000) b.board.node.freeze();
  }));
  assert.is(err.code, 'E_TIMEOUT', err.message);
  assert.match(err.message, /stopped answering while writing chunk \d+ of \d+/, err.message);
  assert.is(bootCode(b), before, 'the boot code was never touched');
  // Power-cycled, the node runs its old firmware.
  b.board.node.unfreeze();
  b.board.node.powerCycle();
  await driven(b.clock, new Promise<void>((resolve) => b.clock.setTimeout(resolve, 1_000)));
  assert.is(b.board.node.consoleOn(), 'LoopbackA', 'the old bundle booted and took the port for its link');
  assert.is(b.board.node.errors.length, 0);
});

test('bytes changed on the way are caught by the CRC read-back: nothing is installed', async () => {
  const b = await fresh();
  await flashed(b, '0.3.0');
  const before = bootCode(b);
  const err = await expectCode(b, flash(b.options(imageOf(lampBuild('0.4.0')), { opener: corruptingOpener(b.opener, 20_000) })), 'E_CHECKSUM');
  assert.match(err.message, /CRC-32 [0-9a-f]{8}, the bundle's is [0-9a-f]{8}/);
  assert.is(bootCode(b), before);
  assert.not.ok(b.board.node.storage.list().includes('kerb.new'), 'the bad upload was erased');
});

test('a node that never says hello (the bundle talks at another speed) is reported as installed but silent', async () => {
  const b = await fresh();
  const image = imageOf(lampBuild('0.3.0', { baud: 57600 }), { baud: 115200 });
  const err = await expectCode(b, flash(b.options(image, { helloMs: 5_000 })), 'E_NO_HELLO');
  assert.match(err.message, /installed .* never said hello at 115200 baud/);
  assert.is(bootCode(b), image.code);
});

test('a hello with another version than the bundle claims is a mismatch', async () => {
  const b = await fresh();
  const image = imageOf(lampBuild('0.3.0'), { fw: '0.3.1' });
  const err = await expectCode(b, flash(b.options(image)), 'E_HELLO_MISMATCH');
  assert.match(err.message, /version 0\.3\.0, expected 0\.3\.1/);
});

test('Ctrl-C during the upload erases what was sent and restarts the previous firmware', async () => {
  const b = await fresh();
  await flashed(b, '0.3.0');
  const before = bootCode(b);
  const resetsBefore = b.board.node.resets.length;
  b.progress.length = 0;
  const controller = new AbortController();
  const work = flash(b.options(imageOf(lampBuild('0.4.0')), { signal: controller.signal }));
  const err = await failure(driven(b.clock, work, 600_000, 2, () => {
    if (b.progress.length > 0 && b.progress.at(-1)!.done > 8_000) controller.abort();
  }));
  assert.is(err.code, 'E_INTERRUPTED', err.message);
  assert.match(err.message, /runs its previous firmware \(Kerb 0\.3\.0\) again/, err.message);
  assert.is(bootCode(b), before);
  assert.not.ok(b.board.node.storage.list().includes('kerb.new'));
  await driven(b.clock, new Promise<void>((resolve) => b.clock.setTimeout(resolve, 2_000)));
  assert.ok(b.board.node.resets.length > resetsBefore, 'load() restarted it');
  assert.is(b.board.node.consoleOn(), 'LoopbackA', 'the old firmware runs and owns the link again');
});

test('--device-id provisions the id and a fresh key: the hello says the new id, the key file is private', async () => {
  const b = await fresh();
  const dir = tempDir('kerb-flash-keys');
  const result = await driven(b.clock, flash(b.options(imageOf(lampBuild('0.3.0')), { deviceId: 'lamp-07', keysDir: dir })));
  assert.is(result.hello.id, 'lamp-07');
  const file = path.join(dir, 'lamp-07.key');
  assert.is(result.key?.file, file);
  assert.is(fs.statSync(file).mode & 0o777, 0o600);
  const key = fs.readFileSync(file, 'utf8').trim();
  assert.match(key, /^[0-9a-f]{64}$/);
  assert.is(b.board.node.storage.readText('kerb.key'), key);
  assert.not.ok(b.logs.join('\n').includes(key), 'the key itself is never printed');
  // Flashing it again keeps its identity.
  const again = await driven(b.clock, flash(b.options(imageOf(lampBuild('0.4.0')), { deviceId: 'lamp-07', keysDir: dir })));
  assert.is(again.hello.id, 'lamp-07');
  assert.is(again.key, undefined);
  assert.is(b.board.node.storage.readText('kerb.key'), key);
});

test('flashing a node provisioned under another id refuses to re-key it, and leaves it running', async () => {
  const b = await fresh();
  const dir = tempDir('kerb-flash-rekey');
  await driven(b.clock, flash(b.options(imageOf(lampBuild('0.3.0')), { deviceId: 'lamp-07', keysDir: dir })));
  const key = b.board.node.storage.readText('kerb.key');
  const err = await expectCode(b, flash(b.options(imageOf(lampBuild('0.4.0')), { deviceId: 'lamp-08', keysDir: dir, force: true })), 'E_PROVISIONED');
  assert.match(err.message, /already provisioned as 'lamp-07'/);
  assert.match(err.next, /kerb provision --force/);
  assert.is(b.board.node.storage.readText('kerb.key'), key, 'the node keeps its key');
  assert.not.ok(fs.existsSync(path.join(dir, 'lamp-08.key')), 'and no key was left on the laptop for it');
  await driven(b.clock, new Promise<void>((resolve) => b.clock.setTimeout(resolve, 1_000)));
  assert.is(b.board.node.consoleOn(), 'LoopbackA', 'its firmware runs again');
});

test('when the key cannot be saved after the install, the new firmware still starts and the message says so', async () => {
  const b = await fresh();
  const notADir = path.join(tempDir('kerb-flash-nokeys'), 'file');
  fs.writeFileSync(notADir, 'not a directory');
  const err = await expectCode(b, flash(b.options(imageOf(lampBuild('0.3.0')), { deviceId: 'lamp-07', keysDir: notADir })), 'E_PROVISIONED');
  assert.match(err.message, /lamp-pir-pwm 0\.3\.0 is installed and was started/, err.message);
  assert.is(b.board.node.storage.readText('kerb.id'), undefined, 'no id without its key saved');
  await driven(b.clock, new Promise<void>((resolve) => b.clock.setTimeout(resolve, 1_000)));
  assert.is(b.board.node.consoleOn(), 'LoopbackA');
});

test.run();
