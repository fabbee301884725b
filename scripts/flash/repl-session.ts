/**
 * A conversation with Espruino's REPL over a serial port, as EspruinoTools holds it:
 *
 * - every line we send starts with DLE (0x10), which tells Espruino not to echo it nor print
 *   `=result` after it, so what comes back is only what the line printed;
 * - a call prints its answer between markers built by concatenation in the sent code, so an
 *   echo of the line (a board with DLE handling off) can never look like an answer;
 * - bytes go out in small pieces, each drained before the next, and stop while the board has
 *   said XOFF (0x13) until it says XON (0x11): Espruino's input buffer is a few hundred bytes and
 *   a flash write stalls it, so ignoring flow control loses bytes mid-bundle.
 * Time is the injected clock's, so a test runs a whole upload on virtual time.
 */
import type { Clock } from '../../firmware/hal/clock.js';
import { FlashError } from './flash-error.js';
import type { FlashLine } from './flash-line.js';

const XON = 0x11;
const XOFF = 0x13;
const DLE = '\x10';
/** Bytes per write: small enough that an XOFF stops us before the board's buffer overflows. */
const PIECE_BYTES = 32;
/** An XOFF that lasts this long is a board that stopped, not one that is busy. */
const XOFF_LIMIT_MS = 10_000;
/** What we keep of the board's output for matching and for error messages. */
const KEEP_CHARS = 16_384;

export interface ReplStats {
  bytesSent: number;
  xoffs: number;
  /** Time spent waiting for XON. */
  pausedMs: number;
}

interface Waiter {
  check: () => boolean;
  resolve: () => void;
}

export class ReplSession {
  readonly stats: ReplStats = { bytesSent: 0, xoffs: 0, pausedMs: 0 };
  private text = '';
  private paused = false;
  private pausedAt = 0;
  private nextCall = 1;
  private waiters: Waiter[] = [];
  private readonly onData = (chunk: Buffer): void => this.received(chunk);
  private signal: AbortSignal | undefined;

  constructor(private readonly line: FlashLine, private readonly clock: Clock, signal?: AbortSignal) {
    this.signal = signal;
    line.on('data', this.onData);
  }

  /** Stops listening; the port stays open for whoever comes next (the link). */
  detach(): void {
    this.line.removeListener('data', this.onData);
    this.wake();
  }

  /** From now on Ctrl-C no longer stops this session: for steps that must finish (clean-up, commit). */
  ignoreAbort(): void {
    this.signal = undefined;
  }

  /** What the board printed that no call consumed (the banner, errors), for messages. */
  output(): string {
    return this.text;
  }

  clearOutput(): void {
    this.text = '';
  }

  /** True once the board printed `pattern` since the last clearOutput(). */
  saw(pattern: RegExp): boolean {
    return pattern.test(this.text);
  }

  /** Waits up to `ms` for `pattern` in the output; false on timeout. */
  async waitFor(pattern: RegExp, ms: number): Promise<boolean> {
    return this.until(() => pattern.test(this.text), ms);
  }

  /** Lets whatever the board is printing arrive, then forgets it. */
  async quiet(ms: number): Promise<void> {
    await this.until(() => false, ms);
    this.text = '';
  }

  /** Ctrl-C: Espruino drops a half-typed line and interrupts code that is running. */
  async interrupt(): Promise<void> {
    await this.send('\x03');
  }

  /**
   * Runs `expression` on the board and returns its value (through JSON). A thrown exception
   * comes back as { error }, an "Out of Memory" as E_MEMORY, silence as E_TIMEOUT.
   */
  async call<T>(expression: string, timeoutMs: number, what: string): Promise<T> {
    const n = this.nextCall++;
    this.text = ''; // an "Out of Memory" from an earlier line is not this call's
    const open = `<<kerb#${n} `;
    const close = ` kerb#${n}>>`;
    await this.send(callLine(n, expression), what);
    const done = await this.until(() => this.text.includes(close) || /Out of Memory|Uncaught SyntaxError|FIFO_FULL/.test(this.text), timeoutMs);
    if (/Out of Memory/i.test(this.text)) {
      throw new FlashError('E_MEMORY', `the board ran out of memory while ${what}`, 'the board is too small for this firmware, or holds other code: erase it (kerb flash --erase) and try again');
    }
    if (!done) {
      const said = sample(this.text);
      throw new FlashError('E_TIMEOUT', `the board stopped answering while ${what} (no answer in ${Math.round(timeoutMs / 1000)} s${said ? `; it last said "${said}"` : ''})`,
        'check the cable, press the board\'s reset button or power-cycle it, and run kerb flash again');
    }
    if (!this.text.includes(close)) {
      // The line itself failed to run: it arrived garbled (bytes lost to a full input buffer, or
      // noise on the cable), since everything it runs is inside a try.
      const why = /FIFO_FULL/.test(this.text) ? 'the board lost input bytes (FIFO_FULL)' : `the board could not run it (${sample(this.text)})`;
      throw new FlashError('E_CHECKSUM', `a line arrived garbled while ${what}: ${why}`,
        'nothing was installed by this line; check the cable and run kerb flash again, at a lower --repl-baud if it repeats');
    }
    const start = this.text.lastIndexOf(open, this.text.indexOf(close));
    const body = this.text.slice(start + open.length, this.text.indexOf(close));
    this.text = this.text.slice(this.text.indexOf(close) + close.length);
    let parsed: { v?: T; e?: string };
    try {
      parsed = JSON.parse(body) as { v?: T; e?: string };
      // What the line prints is always {v} or {e}: anything else (null, a number) is not its answer.
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SyntaxError('not an object');
    } catch {
      throw new FlashError('E_NOT_ESPRUINO', `the board's answer while ${what} is not what Espruino prints: ${JSON.stringify(body.slice(0, 80))}`,
        'is this an Espruino board, at the right speed? try --repl-baud 9600 or 115200');
    }
    if (parsed.e !== undefined) throw new ReplCallError(what, parsed.e);
    return parsed.v as T;
  }

  /** Writes `text` (one byte per char) in pieces, honouring XON/XOFF. */
  async send(text: string, what = 'sending to it'): Promise<void> {
    const bytes = Buffer.from(text, 'latin1');
    for (let at = 0; at < bytes.length; at += PIECE_BYTES) {
      await this.whileOff(what);
      this.checkAbort();
      const piece = bytes.subarray(at, at + PIECE_BYTES);
      // Written and drained: a write callback only means the kernel took the bytes, and kilobytes
      // queued in the tty and the adapter would outrun an XOFF.
      await new Promise<void>((resolve, reject) => {
        this.line.write(piece, (err) => (err ? reject(err) : resolve()));
      });
      await new Promise<void>((resolve, reject) => {
        this.line.drain((err) => (err ? reject(err) : resolve()));
      });
      this.stats.bytesSent += piece.length;
    }
  }

  private async whileOff(what: string): Promise<void> {
    if (!this.paused) return;
    const resumed = await this.until(() => !this.paused, XOFF_LIMIT_MS);
    if (!resumed) {
      throw new FlashError('E_TIMEOUT', `the board stopped answering while ${what}: it paused the upload (XOFF) and did not resume in ${XOFF_LIMIT_MS / 1000} s`,
        'check the cable, press the board\'s reset button or power-cycle it, and run kerb flash again');
    }
  }

  private received(chunk: Buffer): void {
    let kept = '';
    for (const byte of chunk) {
      if (byte === XOFF) {
        if (!this.paused) {
          this.stats.xoffs++;
          this.pausedAt = this.clock.now();
        }
        this.paused = true;
      } else if (byte === XON) {
        if (this.paused) this.stats.pausedMs += this.clock.now() - this.pausedAt;
        this.paused = false;
      } else {
        kept += String.fromCharCode(byte);
      }
    }
    this.text = (this.text + kept).slice(-KEEP_CHARS);
    this.wake();
  }

  private wake(): void {
    const ready = this.waiters.filter((w) => w.check());
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }

  /** Resolves true once `check` holds, false after `ms`; rejects with E_INTERRUPTED on abort. */
  private until(check: () => boolean, ms: number): Promise<boolean> {
    this.checkAbort();
    if (check()) return Promise.resolve(true);
    return new Promise<boolean>((resolve, reject) => {
      const finish = (value: boolean | Error): void => {
        this.clock.clearTimer(timer);
        this.signal?.removeEventListener('abort', onAbort);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        if (value instanceof Error) reject(value);
        else resolve(value);
      };
      const onAbort = (): void => finish(interrupted());
      const waiter: Waiter = { check, resolve: () => finish(true) };
      const timer = this.clock.setTimeout(() => finish(false), ms);
      this.signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private checkAbort(): void {
    if (this.signal?.aborted) throw interrupted();
  }
}

/**
 * The line that runs `expression` as call number `n`: DLE first (no echo, no `=`), the answer
 * or the exception printed as JSON between markers the line itself does not contain verbatim.
 * Every line kicks the watchdog: a node stopped for maintenance has its hardware watchdog still
 * running (it cannot be switched off), and nothing else kicks it until the new firmware runs.
 */
export function callLine(n: number, expression: string): string {
  return `${DLE}(function(){var r;try{E.kickWatchdog();}catch(e){}try{r={v:(${expression})};}catch(e){r={e:String(e)};}` +
    `print('<<kerb'+'#${n} '+JSON.stringify(r)+' kerb#'+'${n}>>');})()\n`;
}

/** Code on the board threw: the message is the board's own. */
export class ReplCallError extends Error {
  constructor(readonly what: string, readonly boardError: string) {
    super(`the board refused ${what}: ${boardError}`);
    this.name = 'ReplCallError';
  }
}

function sample(text: string): string {
  const line = /Uncaught [^\r\n]*/.exec(text)?.[0] ?? text;
  return line.replace(/[^\x20-\x7e]/g, '.').trim().slice(0, 80);
}

export function interrupted(): FlashError {
  return new FlashError('E_INTERRUPTED', 'interrupted (Ctrl-C)', 'run kerb flash again when ready');
}
