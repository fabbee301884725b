/**
 * The fake board's interactive console, after Espruino's src/jsinteractive.c (jsiHandleChar,
 * jsiHandleNewLine, jsiCheckErrors, jsiLoop) and src/jsdevices.c (the input buffer):
 *
 *   UART IRQ ──▶ receive(): Ctrl-C is taken at once; other bytes go into the FIFO (repl-fifo.ts)
 *   main loop ──▶ loop(): while 'idle', bytes leave the FIFO one at a time through the line editor
 *   a complete line ──▶ 'running' (parse cost) ──▶ runs in QuickJS ──▶ 'programming' (flash cost)
 *                   ──▶ "=value", error reports, the prompt ──▶ 'idle'
 *
 * While a line is running or Storage is being programmed nothing leaves the FIFO, so a writer
 * that does not wait fills it: XOFF past the high mark (if flow control is on), lost bytes and
 * FIFO_FULL when full. Echo, the ">" and ":" prompts, "=value", DLE lines and the messages
 * ("Uncaught ...", "ERROR: Out of Memory!", "Execution Interrupted", "New interpreter error: ...")
 * are the board's. Not modelled: cursor keys, history, tab completion, password lock.
 */
import type { TimerId } from '../../../firmware/hal/clock.js';
import type { VirtualClock } from '../virtual-clock.js';
import { ReplFifo } from './repl-fifo.js';
import { bannerText, consoleText, countBrackets, eraseLine, promptText } from './repl-text.js';

/** Virtual time the board spends on a line: the interpreter, then Storage programming. */
export interface ReplCosts {
  /**
   * ms per character of a line (default 0.01). Espruino lexes and runs straight from the line's
   * text, every character passing through its lexer and, inside string literals, into JsVar
   * blocks: about 100 characters per ms is a fair rate for an 84 MHz Cortex-M4 (a Pico).
   */
  msPerChar: number;
  /**
   * ms per byte Storage programs (default 0.01): nRF52 flash takes 41 µs per 32-bit word
   * (nRF52832 spec, t_WRITE), STM32F4 16 µs (RM0368, x32 word programming); the slower, rounded.
   */
  msPerStorageByte: number;
  /** ms per Storage.write call that programs anything (default 2): finding the file, writing its header. */
  msPerStorageWrite: number;
}

export const DEFAULT_REPL_COSTS: ReplCosts = { msPerChar: 0.01, msPerStorageByte: 0.01, msPerStorageWrite: 2 };

/** The board, as the console needs it. */
export interface ReplHost {
  clock: VirtualClock;
  /** process.env.VERSION and BOARD, for the banner. */
  version: string;
  board: string;
  /** Bytes out on the console device (nowhere, when it is not a UART). */
  write(bytes: Uint8Array): void;
  /** Runs a line in the guest: its "=value" text, or failed (the error is reported already). */
  run(code: string): { failed: boolean; shown?: string };
  /** process.memory().free, in JsVars. */
  freeVars(): number;
  storageWear(): { writes: number; bytesWritten: number };
  /** The main loop is not running (frozen by the test, or stuck in guest code). */
  stalled(): boolean;
  /** A reset()/load() is about to happen: the loop stops taking bytes. */
  rebooting(): boolean;
  /** XON/XOFF is enabled on the console device. */
  flowControl(): boolean;
}

export interface ReplStats {
  /** Lines handed to the interpreter (interrupted ones included, empty ones not). */
  linesRun: number;
  fifoHighWater: number;
  bytesLost: number;
  xoffSent: number;
  xonSent: number;
}

type InputState = 'none' | 'had-r' | 'esc' | 'esc-O' | 'esc-[' | 'esc-[n';

/** E.getErrorFlags() order (jswrap_espruino_getErrorFlagArray); LOW_MEMORY alone is only a warning. */
const FLAG_ORDER = ['FIFO_FULL', 'BUFFER_FULL', 'CALLBACK', 'LOW_MEMORY', 'MEMORY', 'MEMORY_BUSY', 'UART_OVERFLOW'];
/** Characters of input line one JsVar holds (a 12-16 byte block; js-vars.ts counts 12). */
const CHARS_PER_VAR = 12;

export class FakeRepl {
  private readonly fifo: ReplFifo;
  private readonly costs: ReplCosts;
  /** Output of the line being programmed into flash, released when it is done. */
  private held: string[] | undefined;
  private line = '';
  /** inputLineRemoved: the prompt and line are not on the terminal and must come back. */
  private removed = true;
  private echoOff = false;
  private echoOffForLine = false;
  private input: InputState = 'none';
  private escNumber = 0;
  private state: 'idle' | 'running' | 'programming' = 'idle';
  private ctrlC = false;
  private interruptRun = false;
  /** jspIsInterrupted: reported as "Execution Interrupted" at the end of the loop. */
  private interrupted = false;
  /** After an out-of-memory the rest of the line is dropped, up to its newline. */
  private swallowing = false;
  private lineCapacity: number | undefined;
  private flags = new Set<string>();
  private reported = new Set<string>();
  private linesRun = 0;
  private timer: TimerId | undefined;
  private parked: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly host: ReplHost, costs: Partial<ReplCosts> = {}) {
    this.costs = { ...DEFAULT_REPL_COSTS, ...costs };
    this.fifo = new ReplFifo((byte) => host.write(Uint8Array.of(byte)), () => host.flowControl());
  }

  // ---- the board's side

  /** The end of jsiSemiInit. `banner` is false only for a bare load(), which skips it. */
  booted(o: { hard: boolean; banner: boolean }): void {
    this.cancel();
    if (o.hard) this.fifo.clear();
    this.line = '';
    this.lineCapacity = undefined;
    this.echoOff = false;
    this.echoOffForLine = false;
    this.input = 'none';
    this.state = 'idle';
    this.ctrlC = this.interruptRun = this.interrupted = this.swallowing = false;
    this.flags.clear(); // jsiSoftInit: jsErrorFlags = 0
    this.reported.clear();
    if (o.hard) this.removed = true;
    if (o.banner) {
      this.out(bannerText(this.host.version, this.host.board));
      this.removed = true;
    }
    this.schedule();
  }

  /** Bytes from the console UART's interrupt. */
  receive(bytes: Uint8Array): void {
    for (const b of bytes) {
      if (b === 3) {
        // jshPushIOCharEvent: Ctrl-C never enters the buffer; it interrupts what is running.
        this.ctrlC = true;
        if (this.state === 'running') this.interruptRun = true;
      } else if (!this.fifo.push(b)) {
        this.flags.add('FIFO_FULL');
      }
    }
    this.schedule();
  }

  /** print(), console.log and "Uncaught ...": the input line steps aside, then comes back. */
  print(text: string): void {
    if (this.held !== undefined) {
      this.held.push(consoleText(text + '\n'));
      return;
    }
    this.removeInputLine();
    this.out(consoleText(text + '\n'));
    this.schedule();
  }

  /** jsiSetConsoleDevice, on the old console before the move ... */
  consoleMoving(to: string): void {
    if (!this.echo()) return;
    this.removeInputLine();
    this.out(consoleText(`-> ${to}\n`));
  }

  /** ... and on the new one after it. */
  consoleMoved(from: string): void {
    if (!this.echo()) return;
    this.out(consoleText(`<- ${from}\n`));
    this.schedule();
  }

  setEcho(on: boolean): void {
    this.echoOff = !on;
  }

  /** E.getErrorFlags(): read and clear. */
  takeErrorFlags(): string[] {
    const flags = FLAG_ORDER.filter((f) => this.flags.has(f));
    this.flags.clear();
    return flags;
  }

  busy(): boolean {
    return this.state !== 'idle';
  }

  /** Runs `fn` once the line being run has finished (reset() and load() wait for the idle loop). */
  whenIdle(fn: () => void): void {
    if (this.state === 'idle') fn();
    else this.idleWaiters.push(fn);
  }

  /** The main loop runs again (after FakeEspruino.unfreeze()). */
  resume(): void {
    for (const fn of this.parked.splice(0)) fn();
    this.schedule();
  }

  stats(): ReplStats {
    const s = this.fifo.stats;
    return { linesRun: this.linesRun, fifoHighWater: s.highWater, bytesLost: s.bytesLost, xoffSent: s.xoffSent, xonSent: s.xonSent };
  }

  cancel(): void {
    if (this.timer !== undefined) this.host.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.parked = [];
    this.idleWaiters = [];
  }

  // ---- the main loop (jsiLoop)

  private schedule(): void {
    if (this.timer !== undefined || this.state !== 'idle') return;
    this.timer = this.host.clock.setTimeout(() => {
      this.timer = undefined;
      this.whenRunning(() => this.loop());
    }, 0);
  }

  /** Steps of the main loop wait while it is stalled; the interrupt side never does. */
  private whenRunning(fn: () => void): void {
    if (this.host.stalled()) this.parked.push(fn);
    else fn();
  }

  private loop(): void {
    if (this.state !== 'idle' || this.host.rebooting()) return;
    while (this.state === 'idle' && this.fifo.length > 0) this.handleChar(this.fifo.shift()!);
    if (this.state !== 'idle') return; // a line is running; finishLine() carries on
    this.fifo.idle();
    this.checkErrors();
    if (this.ctrlC) {
      // jsiLoop: Ctrl-C on an idle board clears the line (on a board: silently when already empty).
      this.ctrlC = false;
      this.swallowing = false;
      this.clearInputLine(true);
    }
    this.returnInputLine();
  }

  private handleChar(ch: number): void {
    if (ch === 0) {
      this.input = 'none'; // "ignore 0 - it's scary"
      return;
    }
    if (this.swallowing) {
      if (ch === 13 || ch === 10) this.swallowing = this.echoOffForLine = false;
      return;
    }
    if (this.escape(ch)) return;
    if (ch === 1 || ch === 4 || ch === 5) return; // cursor editing: the fake's cursor stays at the end
    if (ch === 21 || ch === 23) return this.clearInputLine(true); // Ctrl-U, Ctrl-W
    if (ch === 16 && this.line.length === 0) {
      // DLE at the start of a line: run it without echo, "=value" or a prompt.
      this.echoOffForLine = true;
      return;
    }
    // jsiHandleChar resets the state before it tests for "\n after \r", so that test never
    // holds: "\r\n" is two newlines, the second an empty line (one more prompt when echoing).
    this.input = 'none';
    if (ch === 8 || ch === 127) this.backspace();
    else if (ch === 13 || ch === 10) {
      if (ch === 13) this.input = 'had-r';
      this.newLine(true);
    } else if (ch === 9 && this.echo()) {
      // tab completion: not modelled
    } else if (ch >= 32 || ch === 9) this.append(ch === 9 ? '    ' : String.fromCharCode(ch));
  }

  /** VT100 sequences: swallowed (ESC [ 2 K clears the line, ESC newline continues it). */
  private escape(ch: number): boolean {
    const digit = ch >= 48 && ch <= 57;
    if (ch === 27) this.input = 'esc';
    else if (this.input === 'esc') {
      this.input = ch === 79 ? 'esc-O' : ch === 91 ? 'esc-[' : 'none';
      if (ch === 10) this.newLine(false);
    } else if (this.input === 'esc-O') {
      this.input = 'none';
      const numpad: Record<number, number> = { 111: 47, 106: 42, 109: 45, 107: 43, 77: 13 };
      if (numpad[ch] !== undefined) this.handleChar(numpad[ch]!);
    } else if (this.input === 'esc-[') {
      this.input = digit ? 'esc-[n' : 'none';
      this.escNumber = ch - 48;
    } else if (this.input === 'esc-[n') {
      if (digit) this.escNumber = this.escNumber * 10 + ch - 48;
      else {
        this.input = 'none';
        if (ch === 72 && this.escNumber === 2) this.clearInputLine(true);
      }
    } else return false;
    return true;
  }

  private append(text: string): void {
    this.lineCapacity ??= this.host.freeVars() * CHARS_PER_VAR;
    if (this.line.length + text.length > this.lineCapacity) return this.outOfMemory();
    this.line += text;
    if (this.shown()) this.out(text);
  }

  /**
   * jsvNewWithFlags found no free JsVar for the input line: "ERROR: Out of Memory!" (once until
   * the flag is cleared), MEMORY and LOW_MEMORY set, execution interrupted. The board would go
   * on dropping characters and run what it kept; the fake drops the whole line.
   */
  private outOfMemory(): void {
    if (!this.flags.has('MEMORY')) {
      this.removeInputLine();
      this.out(consoleText('ERROR: Out of Memory!\n'));
    }
    this.flags.add('LOW_MEMORY');
    this.flags.add('MEMORY');
    this.interrupted = true;
    this.line = '';
    this.lineCapacity = undefined;
    this.swallowing = true;
  }

  private backspace(): void {
    if (this.line.length === 0) return;
    const gone = this.line[this.line.length - 1];
    this.line = this.line.slice(0, -1);
    if (!this.shown()) return;
    if (gone !== '\n') this.out('\x08 \x08');
    else {
      const rows = this.line.split('\n');
      this.out('\x1b[J\x08 ' + '\x1b[C'.repeat(rows[rows.length - 1]!.length) + '\x1b[A');
    }
  }

  private newLine(execute: boolean): void {
    if (execute && countBrackets(this.line) <= 0) return this.executeLine();
    if (this.shown()) this.out('\r\n:');
    this.line += '\n';
  }

  private executeLine(): void {
    const code = this.line.replace(/\s+$/, ''); // jsvStringTrimRight
    if (this.shown()) this.out('\r\n');
    if (!this.echoOffForLine) this.removed = true;
    this.line = '';
    this.lineCapacity = undefined;
    if (code === '') return this.finishLine(code, { failed: false });
    this.state = 'running';
    this.interruptRun = false;
    this.timer = this.host.clock.setTimeout(() => {
      this.timer = undefined;
      this.whenRunning(() => this.runLine(code));
    }, code.length * this.costs.msPerChar);
  }

  private runLine(code: string): void {
    this.linesRun++;
    if (this.interruptRun) {
      // Ctrl-C arrived while the line was being run: jspeStatement stops, nothing of it printed.
      this.interruptRun = this.ctrlC = false;
      this.interrupted = true;
      return this.finishLine(code, { failed: true });
    }
    const before = this.host.storageWear();
    // Storage.write blocks until the flash is programmed, so what the line prints after a write
    // reaches the wire only then: hold the line's output until the programming time has passed.
    this.held = [];
    const result = this.host.run(code);
    const after = this.host.storageWear();
    const ms = (after.writes - before.writes) * this.costs.msPerStorageWrite +
      (after.bytesWritten - before.bytesWritten) * this.costs.msPerStorageByte;
    this.state = 'programming';
    this.timer = this.host.clock.setTimeout(() => {
      this.timer = undefined;
      this.whenRunning(() => this.finishLine(code, result));
    }, ms);
  }

  /** The rest of jsiHandleNewLine, then the main loop goes on with what waited in the FIFO. */
  private finishLine(code: string, result: { failed: boolean; shown?: string }): void {
    const held = this.held;
    this.held = undefined;
    if (held !== undefined && held.length > 0) {
      this.removeInputLine();
      for (const text of held) this.out(text);
    }
    if (this.echo() && !result.failed && code !== '') this.out(consoleText(`=${result.shown ?? 'undefined'}\n`));
    this.checkErrors();
    this.echoOffForLine = false;
    this.state = 'idle';
    for (const fn of this.idleWaiters.splice(0)) fn();
    this.loop();
  }

  /** jsiCheckErrors: an interruption, then error flags raised since the last check. */
  private checkErrors(): void {
    if (this.interrupted) {
      this.interrupted = false;
      this.removeInputLine();
      this.out(consoleText('Execution Interrupted\n'));
    }
    const fresh = FLAG_ORDER.filter((f) => this.flags.has(f) && !this.reported.has(f));
    if (fresh.some((f) => f !== 'LOW_MEMORY')) {
      this.removeInputLine();
      this.out(consoleText(`New interpreter error: ${fresh.join(',')}\n`));
    }
    this.reported = new Set(this.flags);
  }

  // ---- the terminal

  private echo(): boolean {
    return !this.echoOff && !this.echoOffForLine;
  }

  private shown(): boolean {
    return this.echo() && !this.removed;
  }

  private removeInputLine(): void {
    if (this.removed) return;
    this.removed = true;
    if (this.echo()) this.out(eraseLine(this.line));
  }

  private returnInputLine(): void {
    if (!this.removed) return;
    this.removed = false;
    if (this.echo()) this.out(promptText(this.line));
  }

  private clearInputLine(updateConsole: boolean): void {
    if (this.line === '') return;
    if (updateConsole) this.removeInputLine();
    this.line = '';
    this.lineCapacity = undefined;
  }

  private out(text: string): void {
    this.host.write(Uint8Array.from(text, (c) => c.charCodeAt(0) & 255));
  }
}
