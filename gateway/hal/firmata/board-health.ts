/**
 * Whether a Firmata board can be used, for the status page, listeners and whenReady():
 *
 *   connecting ─ready─> ready ─lost─> down ─ready─> ready ...
 *   (an attempt failing keeps 'connecting' before the first ready, 'down' after it)
 *   any ─close─> closed
 *
 * An outage runs from the loss to the next ready, however many attempts fail in between.
 */
import type { Clock } from '../../../firmware/hal/clock.js';
import { halError, type HalError } from '../../../firmware/hal/errors.js';
import type { Logger } from '../../log/logger.js';
import { textOf } from './board-errors.js';

export type BoardState = 'connecting' | 'ready' | 'down' | 'closed';

export interface BoardStatus {
  port: string;
  state: BoardState;
  /** Monotonic ms when the state was entered. */
  since: number;
  /** Why the board is not ready, while it is not. */
  error?: string;
  /** Times the board became ready, and times a ready board was lost. */
  readies: number;
  outages: number;
  /** Resources the connected board cannot serve. */
  pinFaults: Array<{ pin: string; error: string }>;
}

export type BoardStatusListener = (status: BoardStatus) => void;

interface Waiter {
  resolve: () => void;
  reject: (err: HalError) => void;
}

export class BoardHealth {
  private current: BoardState = 'connecting';
  private since: number;
  private error: string | undefined;
  private readies = 0;
  private outages = 0;
  private waiters: Waiter[] = [];
  private readonly listeners = new Set<BoardStatusListener>();

  constructor(
    private readonly clock: Clock,
    private readonly port: string,
    private readonly log: Logger,
    private readonly pinFaults: () => BoardStatus['pinFaults'],
  ) {
    this.since = clock.now();
  }

  state(): BoardState {
    return this.current;
  }

  /** How long the board has been in its present state. */
  forMs(): number {
    return this.clock.now() - this.since;
  }

  ready(): void {
    this.readies++;
    this.enter('ready', undefined);
    this.settle((w) => w.resolve());
  }

  /** An attempt failed (lost: a ready board went away). */
  down(error: HalError, lost: boolean): void {
    if (lost) this.outages++;
    this.enter(this.readies > 0 ? 'down' : 'connecting', error.message);
    this.settle((w) => w.reject(error));
  }

  close(): void {
    this.enter('closed', undefined);
    this.settle((w) => w.reject(this.closedError('whenReady')));
  }

  whenReady(): Promise<void> {
    if (this.current === 'ready') return Promise.resolve();
    if (this.current === 'closed') return Promise.reject(this.closedError('whenReady'));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  status(): BoardStatus {
    return {
      port: this.port, state: this.current, since: this.since, readies: this.readies, outages: this.outages,
      pinFaults: this.pinFaults(), ...(this.error !== undefined ? { error: this.error } : {}),
    };
  }

  onStatus(listener: BoardStatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  closedError(what: string): HalError {
    return halError('E_HAL_CLOSED', this.port, `${what} on the Firmata board ${this.port} after close()`);
  }

  private enter(state: BoardState, error: string | undefined): void {
    if (state !== this.current) this.since = this.clock.now();
    this.current = state;
    this.error = error;
    const status = this.status();
    for (const l of this.listeners) {
      try {
        l(status);
      } catch (err) {
        this.log.warn('firmata.listener-error', { error: textOf(err) });
      }
    }
  }

  private settle(fn: (w: Waiter) => void): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) fn(w);
  }
}
