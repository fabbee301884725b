/**
 * Keeps one Firmata board connected. Each attempt opens a new io (OpenIo) and brings it up
 * through johnny-five's Board, which waits for the io's 'connect' and 'ready' as it does for any
 * IO plugin. An attempt not ready within readyTimeoutMs on the Kerb clock is given up (the port
 * is closed) as is one whose io reports an error or closes; once ready, an io 'close',
 * 'disconnect' or 'error' is the board lost. Either way the link tries again after 1 s, 2 s,
 * 4 s ... 30 s (ReopenBackoff, as node ports do), from 1 s again after a ready board.
 *
 *   idle ─start─> opening ─ready─> ready ─lost─> waiting ─backoff─> opening ...
 *                   └──failed (open error, not ready in time)──> waiting
 *   any ─close─> closed
 *
 * johnny-five keeps every Board in a process-wide cache and may hold a real timer for its own
 * connect timeout; a given-up attempt removes its Board from the cache and clears that timer, so
 * a board that stays unplugged for a week costs nothing.
 */
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type { Clock, TimerId } from '../../../firmware/hal/clock.js';
import type { HalError } from '../../../firmware/hal/errors.js';
import type { Logger } from '../../log/logger.js';
import { ReopenBackoff } from '../../node/reopen-backoff.js';
import { lostError, notReadyError, openError, textOf } from './board-errors.js';
import type { FirmataIo, OpenIo } from './io.js';

export type LinkState = 'idle' | 'opening' | 'ready' | 'waiting' | 'closed';

export interface BoardLinkOptions {
  port: string;
  clock: Clock;
  openIo: OpenIo;
  readyTimeoutMs: number;
  reconnectFirstMs: number;
  reconnectMaxMs: number;
  log: Logger;
}

export interface BoardLinkEvents {
  /** The board is ready; `again` after it had been ready before. */
  ready(io: FirmataIo, again: boolean): void;
  /** A ready board went away. */
  lost(error: HalError): void;
  /** An attempt failed before the board was ready. */
  failed(error: HalError): void;
}

/** What this file uses of johnny-five (loaded on first use, so a gateway without boards never loads it). */
interface J5Board extends EventEmitter {
  timer?: ReturnType<typeof setTimeout> | null;
}
interface J5 {
  Board: (new (options: Record<string, unknown>) => J5Board) & { readonly cache: J5Board[] };
}

let five: J5 | undefined;
function johnnyFive(): J5 {
  five ??= createRequire(import.meta.url)('johnny-five') as J5;
  return five;
}

interface Attempt {
  n: number;
  io: FirmataIo;
  board: J5Board | undefined;
  off: () => void;
}

const IO_EVENTS = ['error', 'close', 'disconnect'] as const;

export class BoardLink {
  private current: LinkState = 'idle';
  private attempt: Attempt | undefined;
  private attempts = 0;
  private readyTimer: TimerId | undefined;
  private retryTimer: TimerId | undefined;
  private readonly backoff: ReopenBackoff;
  private everReady = false;

  constructor(private readonly o: BoardLinkOptions, private readonly events: BoardLinkEvents) {
    this.backoff = new ReopenBackoff(o.reconnectFirstMs, o.reconnectMaxMs);
  }

  state(): LinkState {
    return this.current;
  }

  start(): void {
    if (this.current !== 'idle') return;
    this.open();
  }

  close(): void {
    if (this.current === 'closed') return;
    this.current = 'closed';
    if (this.retryTimer !== undefined) this.o.clock.clearTimer(this.retryTimer);
    this.retryTimer = undefined;
    this.giveUp();
  }

  private open(): void {
    const n = ++this.attempts;
    this.current = 'opening';
    this.o.log.debug('firmata.opening', { attempt: n });
    let io: FirmataIo;
    try {
      io = this.o.openIo(this.o.port);
    } catch (err) {
      this.failed(n, openError(this.o.port, err));
      return;
    }
    const handlers = IO_EVENTS.map((event) => {
      const handler = (arg?: unknown): void => this.gone(n, event, arg);
      io.on(event, handler);
      return [event, handler] as const;
    });
    const attempt: Attempt = { n, io, board: undefined, off: () => handlers.forEach(([e, h]) => io.removeListener(e, h)) };
    this.attempt = attempt;
    this.readyTimer = this.o.clock.setTimeout(() => this.failed(n, notReadyError(this.o.port, this.o.readyTimeoutMs)), this.o.readyTimeoutMs);
    try {
      const board = new (johnnyFive().Board)({
        io, repl: false, debug: false, sigint: false, timeout: this.o.readyTimeoutMs, id: `kerb-firmata ${this.o.port} #${n}`,
      });
      attempt.board = board;
      // The io's errors reach gone() directly; johnny-five's re-emission must not go unheard.
      board.on('error', () => undefined);
      board.once('ready', () => this.ready(n));
    } catch (err) {
      this.failed(n, openError(this.o.port, err));
    }
  }

  private ready(n: number): void {
    const a = this.attempt;
    if (a === undefined || a.n !== n || this.current !== 'opening') return;
    this.clearReadyTimer();
    this.current = 'ready';
    this.backoff.reset();
    const again = this.everReady;
    this.everReady = true;
    this.events.ready(a.io, again);
  }

  /** The io reported an error, closed or disconnected. */
  private gone(n: number, event: string, arg: unknown): void {
    if (this.attempt?.n !== n) return;
    if (this.current === 'opening') {
      this.failed(n, openError(this.o.port, event === 'error' ? arg : `the port ${event === 'close' ? 'closed' : 'disconnected'} before the board was ready`));
      return;
    }
    if (this.current !== 'ready') return;
    const why = event === 'error' ? textOf(arg) || 'an error' : event === 'close' ? textOf(arg) || 'the port closed' : 'the port disconnected';
    const error = lostError(this.o.port, why);
    this.giveUp();
    this.current = 'waiting';
    this.events.lost(error);
    this.retryLater(error);
  }

  private failed(n: number, error: HalError): void {
    if (this.attempt !== undefined && this.attempt.n !== n) return;
    if (this.current !== 'opening') return;
    this.giveUp();
    this.current = 'waiting';
    this.events.failed(error);
    this.retryLater(error);
  }

  private retryLater(error: HalError): void {
    const ms = this.backoff.next();
    this.o.log.warn('firmata.unavailable', { error: error.message, retryInMs: ms });
    this.retryTimer = this.o.clock.setTimeout(() => {
      this.retryTimer = undefined;
      this.open();
    }, ms);
  }

  /** Lets go of the current attempt's io and Board, closing the port under it. */
  private giveUp(): void {
    this.clearReadyTimer();
    const a = this.attempt;
    this.attempt = undefined;
    if (a === undefined) return;
    a.off();
    // A dying io may still report an error; with no listener Node would throw it.
    a.io.on('error', () => undefined);
    const board = a.board;
    if (board !== undefined) {
      board.removeAllListeners();
      board.on('error', () => undefined);
      if (board.timer) clearTimeout(board.timer);
      const cache = johnnyFive().Board.cache;
      const i = cache.indexOf(board);
      if (i >= 0) cache.splice(i, 1);
    }
    // firmata.js asks a silent board for its version after 5 s of real time; not any more.
    const versionTimer = (a.io as { reportVersionTimeoutId?: ReturnType<typeof setTimeout> }).reportVersionTimeoutId;
    if (versionTimer !== undefined) clearTimeout(versionTimer);
    try {
      a.io.transport?.close?.(() => undefined);
    } catch {
      // already closed
    }
  }

  private clearReadyTimer(): void {
    if (this.readyTimer !== undefined) this.o.clock.clearTimer(this.readyTimer);
    this.readyTimer = undefined;
  }
}
