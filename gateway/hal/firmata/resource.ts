/**
 * What every Firmata resource shares. A resource outlives the board's connections: it is opened
 * once, attached to the io each time the board becomes ready (set its pin mode, write what it
 * remembers, start the board's reports) and detached when the board goes away, keeping its
 * values. A board that comes up unable to serve it (no such pin, no such mode) leaves it 'failed':
 * it stays open and keeps answering from what it remembers, and the HAL logs why, because a
 * controller's timer must never be thrown at by the backend.
 */
import type { Clock, TimerId } from '../../../firmware/hal/clock.js';
import { halError, type HalError } from '../../../firmware/hal/errors.js';
import type { FirmataIo } from './io.js';
import type { PinTable } from './pin-table.js';

export type ResourceKind = 'digitalIn' | 'digitalOut' | 'pwm' | 'analogIn' | 'pulseIn';
export type ResourceState = 'detached' | 'attached' | 'failed' | 'closed';

export const KIND_TEXT: Record<ResourceKind, string> = {
  digitalIn: 'digital input', digitalOut: 'digital output', pwm: 'PWM output', analogIn: 'analog input', pulseIn: 'pulse timer',
};

/** What the HAL hands each resource. */
export interface ResourceContext {
  readonly clock: Clock;
  /** Runs one io call; one that throws is logged and dropped, never thrown into a controller. */
  call(what: string, fn: () => void): void;
  /** The resource closed: its pins are free again. */
  release(resource: FirmataResource): void;
}

export abstract class FirmataResource {
  abstract readonly kind: ResourceKind;
  /** Pin names held (claimKey), one resource per pin. */
  abstract readonly claims: string[];
  protected state: ResourceState = 'detached';
  protected io: FirmataIo | undefined;
  private fault: HalError | undefined;
  private readonly timers = new Set<TimerId>();

  constructor(protected readonly ctx: ResourceContext, readonly pinName: string) {}

  /** Throws E_HAL_OPTIONS or E_HAL_UNAVAILABLE if the board cannot serve this resource; touches nothing. */
  abstract check(table: PinTable): void;

  /** The board is ready (the first time or again); `check` has passed. */
  attach(io: FirmataIo, table: PinTable): void {
    if (this.state === 'closed') return;
    this.io = io;
    this.state = 'attached';
    this.fault = undefined;
    this.start(io, table);
  }

  /** The board went away; what the resource remembers stays. */
  detach(): void {
    if (this.state !== 'attached') return;
    this.io = undefined;
    this.state = 'detached';
    this.stop();
  }

  /** The board that came up cannot serve this resource. */
  fail(err: HalError): void {
    if (this.state === 'closed') return;
    this.detach();
    this.state = 'failed';
    this.fault = err;
  }

  /** Why the board last ready could not serve this resource, if it could not. */
  failure(): HalError | undefined {
    return this.fault;
  }

  close(): void {
    if (this.state === 'closed') return;
    const io = this.io;
    this.detach();
    this.state = 'closed';
    for (const id of this.timers) this.ctx.clock.clearTimer(id);
    this.timers.clear();
    this.closed(io);
    this.ctx.release(this);
  }

  /** Sets the pin mode, writes what is remembered and starts reports on a ready board. */
  protected abstract start(io: FirmataIo, table: PinTable): void;
  /** The io is gone (detach): cancel what depended on it. */
  protected stop(): void {}
  /** Closed (while attached to `io`, if given): stop what it runs and the board's reports for it. */
  protected closed(_io: FirmataIo | undefined): void {}

  protected assertOpen(what: string): void {
    if (this.state === 'closed') {
      throw halError('E_HAL_CLOSED', this.pinName, `${what} on ${this.describe()} after close()`);
    }
  }

  protected describe(): string {
    return `${KIND_TEXT[this.kind]} ${this.pinName}`;
  }

  protected later(ms: number, fn: () => void): TimerId {
    const id: TimerId = this.ctx.clock.setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, ms);
    this.timers.add(id);
    return id;
  }

  protected cancel(id: TimerId | undefined): void {
    if (id === undefined) return;
    this.ctx.clock.clearTimer(id);
    this.timers.delete(id);
  }
}
