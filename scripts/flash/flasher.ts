/**
 * `kerb flash` as a library: from a checked firmware image and a port to a node that said hello
 * with the right version, or a FlashError that says which step failed and what to do. The
 * command (scripts/commands/flash.ts) adds the terminal; tests drive this on a fake board.
 *
 *   connect (REPL, or maintenance of a running node) -> checks (version, rollback, memory)
 *   -> stop code -> upload to staging with progress -> CRC -> commit -> CRC -> load() -> hello
 *
 * Ctrl-C (the abort signal) before the commit erases the staging file and restarts whatever
 * was installed; after it, the new firmware is in place and is started. Either way the
 * verdict says which firmware the node is left running.
 */
import { crc32 } from 'node:zlib';
import type { Clock } from '../../firmware/hal/clock.js';
import type { Hello } from '../../firmware/link/messages.js';
import { compareVersions } from '../sign/semver.js';
import { closeLine, connectBoard, restartAndListen, resumeSavedCode, type BoardConnection, type BoardInfo } from './board-connection.js';
import { newDeviceKey, stageDeviceKey, storeIdentity } from './device-key.js';
import { FlashError } from './flash-error.js';
import type { FlashOpener } from './flash-line.js';
import { ReplCallError } from './repl-session.js';
import {
  CHUNK_BYTES, chunkCount, chunkWrite, commit, eraseStaging, fileCrc, STAGING, STOP_CODE, storageNeeded, type InstalledManifest,
} from './upload-plan.js';

/** The firmware to flash, its signature already checked by the caller. */
export interface FlashImage {
  code: string;
  name: string;
  kind: string;
  fw: string;
  profile: string;
  sha256: string;
  /** The link speed baked into the bundle. */
  baud: number;
  /** The id baked into the bundle ('unprovisioned' for a generic one). */
  deviceId: string;
  /** The signer's key id; undefined for an unsigned image flashed with --force. */
  keyId?: string;
}

export interface FlashProgress {
  done: number;
  total: number;
  elapsedMs: number;
  /** Estimated time left; undefined until a few chunks have gone. */
  etaMs: number | undefined;
}

export interface FlashOptions {
  image: FlashImage;
  path: string;
  opener: FlashOpener;
  clock: Clock;
  signal?: AbortSignal;
  /** Speeds to look for the REPL at (default: the link's, then 9600: Espruino's usual console). */
  replBauds?: number[];
  /**
   * Provision this device id along with the firmware: the id and a fresh per-device key go to
   * the node's Storage, the key also to `<keysDir>/<id>.key` for its gateway.
   */
  deviceId?: string;
  keysDir?: string;
  /** Flash an older version than the installed one. */
  force?: boolean;
  helloMs?: number;
  log: (line: string) => void;
  warn: (line: string) => void;
  progress: (p: FlashProgress) => void;
}

export interface FlashResult {
  hello: Hello;
  board: { version: string; board: string };
  bytes: number;
  crc32: string;
  elapsedMs: number;
  uploadMs: number;
  /** What was installed before, if Kerb was. */
  previous: string | undefined;
  /** With a device id: where its key was saved and the key's fingerprint. */
  key?: { file: string; fingerprint: string };
  xoffs: number;
}

/** Espruino before 2v00 lacks Storage.write with offsets and E.CRC32 as used here. */
const MIN_ESPRUINO = [2, 0];
/** JsVars the node needs running: objects, link buffers and queues (code runs from flash). */
export const MIN_JSVARS = 2000;
const CALL_MS = 5_000;
/** Writing a chunk programs flash; a slow board (nRF52 erasing a page) can take a while. */
const CHUNK_MS = 10_000;
const COMMIT_MS = 30_000;
/** Clean-up after a failure: short, since the board may be the reason it failed. */
const RESTORE_MS = 3_000;
const DEFAULT_HELLO_MS = 20_000;

function hex(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

function parseEspruinoVersion(v: string): number[] | undefined {
  const m = /^(\d+)v(\d+)/.exec(v);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function checkBoard(info: BoardInfo, o: FlashOptions): void {
  const version = parseEspruinoVersion(String(info.v));
  if (version === undefined || version[0]! < MIN_ESPRUINO[0]! || (version[0] === MIN_ESPRUINO[0] && version[1]! < MIN_ESPRUINO[1]!)) {
    throw new FlashError('E_NOT_ESPRUINO', `the board runs Espruino ${info.v}; Kerb needs 2v00 or later`,
      'update the board\'s Espruino firmware (espruino.com/Download), then run kerb flash again');
  }
  const installed = info.fw;
  if (installed !== undefined && typeof installed.fw === 'string') {
    let older = false;
    try {
      older = compareVersions(o.image.fw, installed.fw) < 0;
    } catch {
      older = false; // an unreadable installed version cannot protect against anything
    }
    if (older) {
      const msg = `the board has Kerb ${installed.fw} (${installed.name}); this firmware is ${o.image.fw}, older`;
      if (!o.force) {
        throw new FlashError('E_ROLLBACK', msg, 'flash the current release; to go back on purpose (a known bad release), add --force');
      }
      o.warn(`${msg}: flashing it anyway (--force)`);
    }
  }
  if (o.deviceId !== undefined && info.id !== undefined && info.id !== o.deviceId) {
    // Checked before anything is written: flashing never re-keys a node.
    throw new FlashError('E_PROVISIONED', `the node is already provisioned as '${info.id}'`,
      `check you are at the right device; to give it the id '${o.deviceId}' and a new key (its gateway must then get it): kerb provision --force`);
  }
  const need = storageNeeded(o.image.code.length);
  if (info.storage < need) {
    throw new FlashError('E_MEMORY', `the board's Storage has ${info.storage} bytes free; this firmware needs ${need} (${o.image.code.length} bytes, staged and then installed)`,
      'erase unused files (require("Storage").eraseAll() at the REPL wipes everything), or use a board with more flash');
  }
  if (info.total < MIN_JSVARS) {
    throw new FlashError('E_MEMORY', `the board has ${info.total} JsVars of RAM; a Kerb node needs at least ${MIN_JSVARS}`,
      'use a board with more RAM (a Pico has 5,100 JsVars, an ESP32 16,000)');
  }
}

/** Runs one REPL step, turning an exception on the board into the flash failure it means. */
async function step<T>(c: BoardConnection, expression: string, ms: number, what: string): Promise<T> {
  try {
    return await c.session.call<T>(expression, ms, what);
  } catch (err) {
    if (err instanceof ReplCallError) {
      const memory = /memory|Unable to find or create file|Too much data/i.test(err.boardError);
      throw new FlashError(memory ? 'E_MEMORY' : 'E_NOT_ESPRUINO', err.message,
        memory ? 'free Storage on the board (or use a larger board) and run kerb flash again' : 'run kerb flash again; if it repeats, report the message');
    }
    throw err;
  }
}

async function upload(c: BoardConnection, o: FlashOptions): Promise<number> {
  const code = o.image.code;
  const chunks = chunkCount(code);
  const started = o.clock.now();
  await step(c, eraseStaging(), CALL_MS, 'erasing the staging file');
  for (let i = 0; i < chunks; i++) {
    await step(c, chunkWrite(code, i), CHUNK_MS, `writing chunk ${i + 1} of ${chunks}`);
    const done = Math.min(code.length, (i + 1) * CHUNK_BYTES);
    const elapsedMs = o.clock.now() - started;
    const etaMs = i >= 2 ? (elapsedMs / done) * (code.length - done) : undefined;
    o.progress({ done, total: code.length, elapsedMs, etaMs });
  }
  return o.clock.now() - started;
}

/**
 * The id and a fresh key onto the node, the key saved on this laptop first: a laptop that cannot
 * keep the key must not leave a node holding one nobody knows. A node already provisioned under
 * another id keeps it unless `force`.
 */
export async function giveIdentity(c: BoardConnection, deviceId: string, keysDir: string, force: boolean): Promise<{ file: string; fingerprint: string } | undefined> {
  const current = c.info.id;
  // Re-flashing a provisioned node keeps its identity: its gateway already has the key.
  if (current === deviceId && c.info.key && !force) return undefined;
  if (current !== undefined && current !== deviceId && !force) {
    throw new FlashError('E_PROVISIONED', `the node is already provisioned as '${current}'`,
      `to give it the id '${deviceId}' and a new key (its gateway must then get the new key): kerb provision --force`);
  }
  const key = newDeviceKey();
  const staged = stageDeviceKey(keysDir, deviceId, key, force);
  try {
    await step(c, storeIdentity(deviceId, key), CALL_MS, 'storing the device id and key');
  } catch (err) {
    staged.discard(); // the node kept its old key: so does this laptop
    throw err;
  }
  return { file: staged.keep(), fingerprint: key.fingerprint };
}

/**
 * After a failure or Ctrl-C before the install: no staging file left, and the firmware that was
 * there running again, so a refused or interrupted flash never leaves a node (a lamp) stopped at
 * its REPL. Returns what the node is left doing, for the message.
 */
async function restore(c: BoardConnection): Promise<string> {
  try {
    c.session.ignoreAbort();
    await c.session.interrupt();
    await c.session.send('\n');
    await c.session.quiet(300);
    await c.session.call(eraseStaging(), RESTORE_MS, 'erasing the staging file');
    if (await resumeSavedCode(c)) return `nothing was replaced: the node runs its previous firmware${c.info.fw ? ` (Kerb ${c.info.fw.fw})` : ''} again`;
    return 'nothing was replaced: the board had no saved code and waits at its REPL';
  } catch {
    return 'nothing was replaced, and the board did not answer afterwards: its previous firmware runs at the next power-on';
  }
}

export async function flash(o: FlashOptions): Promise<FlashResult> {
  const started = o.clock.now();
  const image = o.image;
  // Sent one byte per character and checked the same way: anything beyond ASCII would arrive
  // changed and still match (kerb build emits ASCII only).
  const wide = /[^\x00-\x7f]/.exec(image.code);
  if (wide !== null) {
    throw new FlashError('E_BUNDLE', `${image.name} holds a non-ASCII character at offset ${wide.index}: it is not a bundle kerb build made`, 'build the bundle with kerb build');
  }
  const localCrc = hex(crc32(Buffer.from(image.code, 'latin1')));
  const c = await connectBoard({
    opener: o.opener, path: o.path, clock: o.clock, signal: o.signal, log: o.log,
    replBauds: o.replBauds ?? [image.baud, 9600], linkBaud: image.baud, switchSpeed: o.replBauds === undefined,
  });
  let committed = false;
  let running = false;
  try {
    const info = c.info;
    o.log(`Espruino ${info.v} on ${info.b}: ${info.free} of ${info.total} JsVars free, ${info.storage} bytes of Storage free` +
      (info.fw ? `; installed: Kerb ${info.fw.fw} (${info.fw.name})` : info.boot > 0 ? '; other code is saved on it' : ''));
    checkBoard(info, o);
    await step(c, STOP_CODE, CALL_MS, 'stopping the running code');
    o.log(`writing ${image.code.length} bytes in ${chunkCount(image.code)} chunks`);
    const uploadMs = await upload(c, o);
    const boardCrc = await step<number>(c, fileCrc(STAGING), CALL_MS, 'reading back the checksum');
    if (hex(boardCrc) !== localCrc) {
      throw new FlashError('E_CHECKSUM', `the board read back CRC-32 ${hex(boardCrc)}, the bundle's is ${localCrc}: bytes were lost or changed on the way`,
        'nothing was installed (the old firmware is untouched); check the cable and run kerb flash again, at a lower --repl-baud if it repeats');
    }
    const manifest: InstalledManifest = { fw: image.fw, name: image.name, sha256: image.sha256, profile: image.profile, crc32: localCrc, ...(image.keyId ? { keyId: image.keyId } : {}) };
    // From here the abort signal is not honoured until the boot code is whole again.
    committed = true;
    c.session.ignoreAbort();
    await c.session.call(commit(manifest), COMMIT_MS, 'installing the firmware as boot code').catch((err: unknown) => {
      const why = err instanceof ReplCallError ? err.boardError : (err as Error).message;
      throw new FlashError('E_INSTALL', `installing the boot code failed (${why}): the node may not start until it is flashed again`,
        'run kerb flash again now (the uploaded copy is kept on the board); if it repeats, the board\'s flash is failing', { cause: err });
    });
    c.info.boot = image.code.length; // what a restart now runs
    // Flashing never replaces a node's identity (kerb provision --force does): its gateway holds the key.
    const key = o.deviceId === undefined ? undefined : await giveIdentity(c, o.deviceId, o.keysDir ?? 'keys', false);
    if (key !== undefined) o.log(`provisioned as ${o.deviceId}: key ${key.fingerprint} saved to ${key.file} for its gateway`);
    else if (o.deviceId !== undefined) o.log(`already provisioned as ${o.deviceId}: its id and key stay`);
    o.log(`checksum ${localCrc} matches; starting the firmware`);
    running = true;
    const heard = await restartAndListen(c, { clock: o.clock, signal: o.signal, linkBaud: image.baud, helloMs: o.helloMs ?? DEFAULT_HELLO_MS }).catch((err: unknown) => {
      if (err instanceof FlashError && err.code === 'E_INTERRUPTED') {
        throw new FlashError('E_INTERRUPTED', `interrupted (Ctrl-C) while waiting for the hello: ${image.name} ${image.fw} is installed and was started, but not verified`,
          'kerb monitor --port shows whether it runs', { cause: err });
      }
      throw err;
    });
    if (heard.hello === undefined) {
      throw new FlashError('E_NO_HELLO',
        `the firmware is installed (CRC ${localCrc}) but the node never said hello at ${image.baud} baud` +
          (heard.problem ? ` (a hello arrived that could not be read: ${heard.problem})` : heard.badFrames > 0 ? ` (${heard.badFrames} broken frames heard)` : ''),
        'kerb monitor --port shows what the node sends; check the node\'s Serial1 wiring and that the bundle\'s --baud matches');
    }
    const expectedId = o.deviceId ?? info.id ?? image.deviceId;
    const h = heard.hello;
    const wrong = [
      h.fw !== image.fw ? `version ${h.fw}, expected ${image.fw}` : '',
      h.profile !== image.profile ? `profile ${h.profile}, expected ${image.profile}` : '',
      h.id !== expectedId ? `id '${h.id}', expected '${expectedId}'` : '',
    ].filter((x) => x !== '');
    if (wrong.length > 0) {
      throw new FlashError('E_HELLO_MISMATCH', `the node said hello with ${wrong.join(', ')}`,
        'the board may be running other saved code (.boot0-3): erase it and run kerb flash again');
    }
    return {
      hello: h, board: { version: info.v, board: info.b }, bytes: image.code.length, crc32: localCrc,
      elapsedMs: o.clock.now() - started, uploadMs, previous: info.fw?.fw, xoffs: c.session.stats.xoffs, ...(key ? { key } : {}),
    };
  } catch (err) {
    if (err instanceof FlashError && !committed) {
      const left = await restore(c);
      throw new FlashError(err.code, `${err.message}; ${left}`, err.next, { cause: err });
    }
    if (committed && !running && !(err instanceof FlashError && err.code === 'E_INSTALL')) {
      // Installed but provisioning failed: the new firmware runs rather than a node left at its REPL.
      const ran = await resumeSavedCode(c).catch(() => false);
      const what = err instanceof FlashError ? err : new FlashError('E_PROVISIONED', `cannot keep the device key in ${o.keysDir ?? 'keys'} (${(err as Error).message})`, 'choose a --keys-dir you can write to and run kerb provision', { cause: err });
      throw new FlashError(what.code, `${what.message}; ${image.name} ${image.fw} is installed${ran ? ' and was started' : ''}`, what.next, { cause: err });
    }
    throw err;
  } finally {
    await closeLine(c.line);
  }
}
