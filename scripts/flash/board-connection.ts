/**
 * Getting to a board's REPL, whatever it is doing: a bare Espruino answers at its console speed;
 * a node running Kerb speaks the link instead, so it is asked for maintenance (it resets, and
 * the REPL comes back); a board at another speed shows only garbage, so each candidate speed
 * is tried in turn. What comes back is the open port, a REPL session on it and what the board
 * said about itself. Afterwards, `restartAndListen` runs the saved code and hears its hello.
 */
import type { Clock } from '../../firmware/hal/clock.js';
import type { Hello } from '../../firmware/link/messages.js';
import { FlashError } from './flash-error.js';
import type { FlashLine, FlashOpener } from './flash-line.js';
import { LinkProbe } from './link-probe.js';
import { ReplCallError, ReplSession } from './repl-session.js';

/** What the detection call returns (field names kept short: the board prints them). */
export interface BoardInfo {
  /** process.env.VERSION, e.g. '2v29'. */
  v: string;
  /** process.env.BOARD, e.g. 'PICO_R1_3'. */
  b: string;
  /** process.env.CONSOLE: the device the REPL is on ('Serial1', 'USB', ...). */
  c?: string;
  /** process.memory(): JsVars free and in all. */
  free: number;
  total: number;
  /** Bytes Storage can still take. */
  storage: number;
  /** Size of the saved code (.bootcde), 0 when there is none. */
  boot: number;
  /** The manifest `kerb flash` left of the installed firmware, if any. */
  fw?: { fw: string; name: string; sha256: string; profile: string; keyId?: string };
  /** The provisioned device id, if any. */
  id?: string;
  /** A per-device key is stored (its value is never read back). */
  key: boolean;
}

export const INFO_EXPRESSION =
  "(function(){var s=require('Storage'),m=process.memory(),c=s.read('.bootcde');" +
  "return {v:process.env.VERSION,b:process.env.BOARD,c:process.env.CONSOLE,free:m.free,total:m.total,storage:s.getFree()," +
  "boot:c===undefined?0:c.length,fw:s.readJSON('kerb.fw',1),id:s.read('kerb.id'),key:s.read('kerb.key')!==undefined};})()";

export interface ConnectOptions {
  opener: FlashOpener;
  path: string;
  clock: Clock;
  signal?: AbortSignal;
  /** Speeds to look for a REPL at, in order. */
  replBauds: number[];
  /** The speed of the link of a node that may already run Kerb. */
  linkBaud: number;
  /** Move a slower console to the link's speed for the upload (not when the speed was given). */
  switchSpeed: boolean;
  log: (line: string) => void;
}

export interface BoardConnection {
  line: FlashLine;
  session: ReplSession;
  info: BoardInfo;
  /** The port's current speed. */
  baud: number;
  /** The node was running Kerb and was put into maintenance to get here. */
  wasRunning: Hello | undefined;
}

const ANSWER_MS = 2_000;
const LISTEN_MS = 2_500;

function setBaud(line: FlashLine, baudRate: number): Promise<void> {
  return new Promise((resolve, reject) => line.update({ baudRate }, (err) => (err ? reject(err) : resolve())));
}

export function closeLine(line: FlashLine): Promise<void> {
  return new Promise((resolve) => {
    if (!line.isOpen) resolve();
    else line.close(() => resolve());
  });
}

/** A visible rendering of what arrived, for the "not Espruino" message. */
function sample(text: string): string {
  const shown = text.replace(/[^\x20-\x7e]/g, '.').trim();
  return shown.length > 60 ? `${shown.slice(0, 60)}...` : shown;
}

async function askRepl(line: FlashLine, o: ConnectOptions): Promise<{ session: ReplSession; info?: BoardInfo; heard: string }> {
  const session = new ReplSession(line, o.clock, o.signal);
  // Ctrl-C interrupts running code and drops a half-typed line; Espruino keeps echo off after
  // dropping a DLE line until a line runs, so an empty line follows.
  await session.interrupt();
  await session.send('\n');
  await session.quiet(300);
  try {
    const info = await session.call<BoardInfo>(INFO_EXPRESSION, ANSWER_MS, 'asking what it is');
    return { session, info, heard: '' };
  } catch (err) {
    if (err instanceof ReplCallError) {
      session.detach();
      throw new FlashError('E_NOT_ESPRUINO', `the board answers like Espruino but lacks what Kerb needs (${err.boardError}): it is probably older than 2v00`,
        "update the board's Espruino firmware (espruino.com/Download), then run kerb flash again");
    }
    if (err instanceof FlashError && (err.code === 'E_TIMEOUT' || err.code === 'E_NOT_ESPRUINO')) {
      const heard = session.output();
      session.detach();
      return { session, heard };
    }
    session.detach();
    throw err;
  }
}

/** Switches on XON/XOFF on a console UART at `baud` (the dry run shows it too). */
export function flowControlExpression(consoleDevice: string, baud: number): string {
  return `${consoleDevice}.setup(${baud},{flow:'xon'}),1`;
}

/**
 * Espruino's UARTs start without XON/XOFF (only USB always has it): on a Serial console it is
 * switched on before the upload, or a flash write stalling the board would lose bytes. A bare
 * board's console runs at 9600 baud; the upload goes at the link's speed when the board and the
 * adapter manage it (twelve times faster at 115200), else stays where it was. Returns the speed.
 */
async function prepareConsole(line: FlashLine, session: ReplSession, info: BoardInfo, baud: number, o: ConnectOptions): Promise<number> {
  const consoleDevice = info.c ?? '';
  if (!/^Serial\d$/.test(consoleDevice)) return baud;
  if (baud === o.linkBaud || !o.switchSpeed) {
    await session.call(flowControlExpression(consoleDevice, baud), ANSWER_MS, 'switching on flow control');
    return baud;
  }
  // The board answers a setup() at its new speed, so the line goes unanswered and a call checks.
  await session.send(`\x10${consoleDevice}.setup(${o.linkBaud},{flow:'xon'})\n`);
  await session.quiet(200);
  await setBaud(line, o.linkBaud);
  try {
    await session.call('1', ANSWER_MS, 'checking the faster speed');
    o.log(`uploading at ${o.linkBaud} baud`);
    return o.linkBaud;
  } catch (err) {
    if (!(err instanceof FlashError) || (err.code !== 'E_TIMEOUT' && err.code !== 'E_NOT_ESPRUINO')) throw err;
    // Either the board never changed speed (the line was lost) or the adapter cannot follow it.
    await setBaud(line, baud);
    await session.send('\x03\n');
    await session.quiet(200);
    try {
      await session.call(flowControlExpression(consoleDevice, baud), ANSWER_MS, 'switching on flow control');
    } catch {
      throw new FlashError('E_TIMEOUT', `the board moved its console to ${o.linkBaud} baud and did not answer there`,
        `power-cycle the board and run kerb flash again with --repl-baud ${baud}: the upload then stays at that speed`);
    }
    o.log(`the board did not answer at ${o.linkBaud} baud; uploading at ${baud}`);
    return baud;
  }
}

export async function connectBoard(o: ConnectOptions): Promise<BoardConnection> {
  const first = o.replBauds[0] ?? o.linkBaud;
  const line = await o.opener(o.path, first);
  let wasRunning: Hello | undefined;
  try {
    let baud = first;
    let heard = '';
    const tried = new Set<number>();
    const bauds = [...o.replBauds];
    for (let i = 0; i < bauds.length; i++) {
      const rate = bauds[i]!;
      if (tried.has(rate)) continue;
      tried.add(rate);
      if (rate !== baud) await setBaud(line, rate);
      baud = rate;
      o.log(`looking for the Espruino REPL at ${rate} baud`);
      const asked = await askRepl(line, o);
      if (asked.info !== undefined) {
        baud = await prepareConsole(line, asked.session, asked.info, rate, o);
        return { line, session: asked.session, info: asked.info, baud, wasRunning };
      }
      heard += asked.heard;
      // Not a REPL: perhaps a node already running Kerb, whose link owns the port.
      if (wasRunning === undefined && rate === o.linkBaud) {
        const probe = new LinkProbe(line, o.clock, o.signal);
        let hello: Hello | undefined;
        let acked = false;
        try {
          hello = (await probe.listen(LISTEN_MS)).hello;
          if (hello !== undefined) {
            o.log(`${hello.id} runs Kerb ${hello.fw} (${hello.kind}); asking it to stop for maintenance`);
            acked = await probe.maintenance(LISTEN_MS);
          }
        } finally {
          probe.stop();
        }
        if (hello !== undefined) {
          if (!acked) {
            throw new FlashError('E_TIMEOUT', `${hello.id} runs Kerb ${hello.fw} but did not acknowledge the maintenance request`,
              'power-cycle the node and run kerb flash again within a few seconds of power-on');
          }
          wasRunning = hello;
          // reset() brings the REPL back on Serial1 at Espruino's default 9600 baud; look there
          // first, then at the link's speed (a board that keeps its UART settings).
          tried.delete(rate);
          tried.delete(9600);
          bauds.splice(i + 1, 0, 9600, rate);
          await new Promise<void>((resolve) => o.clock.setTimeout(resolve, 500));
          continue;
        }
      }
    }
    throw new FlashError('E_NOT_ESPRUINO',
      `no Espruino REPL and no Kerb node answered on ${o.path} (tried ${[...tried].join(', ')} baud)` +
        (heard.trim() ? `; it sent: "${sample(heard)}"` : '; it sent nothing'),
      "check the board is powered and the adapter's TX/RX go to the board's RX/TX; a board whose console runs at another speed needs --repl-baud N");
  } catch (err) {
    await closeLine(line);
    if (wasRunning !== undefined && err instanceof FlashError) {
      // Stopped for maintenance and then lost: only its watchdog or a power cycle restarts it.
      throw new FlashError(err.code, `${err.message}; ${wasRunning.id} was stopped for maintenance and has not been restarted`,
        `power-cycle the node to run its firmware again; ${err.next}`, { cause: err });
    }
    throw err;
  }
}

/**
 * Leaves the REPL after a failure: drops a half-sent line and, if the board has saved code, runs
 * it again, so a node (a lamp) stopped for maintenance is not left dark. True when restarted.
 */
export async function resumeSavedCode(c: BoardConnection): Promise<boolean> {
  c.session.ignoreAbort();
  await c.session.interrupt();
  await c.session.send('\n');
  await c.session.quiet(300);
  if (c.info.boot === 0) return false;
  await c.session.send('\x10load()\n');
  return true;
}

/**
 * Runs the saved code (`load()`), switches the port to the link's speed and waits for the
 * node's hello. The REPL is gone from the port after this: the node's link owns it.
 */
export async function restartAndListen(c: BoardConnection, o: { clock: Clock; signal?: AbortSignal; linkBaud: number; helloMs: number }): Promise<{ hello: Hello | undefined; badFrames: number; problem: string }> {
  await c.session.send('\x10load()\n');
  c.session.detach();
  if (o.linkBaud !== c.baud) await setBaud(c.line, o.linkBaud);
  c.baud = o.linkBaud;
  const probe = new LinkProbe(c.line, o.clock, o.signal);
  try {
    const { hello, badFrames } = await probe.listen(o.helloMs);
    return { hello, badFrames, problem: probe.helloProblem() };
  } finally {
    probe.stop();
  }
}
