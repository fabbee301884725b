/**
 * A serial port on the mock: the byte stream a controller or link opens, and the peer a test
 * holds (the far end of the wire, like serialport's MockBinding `emitData`). Bytes cross in both
 * directions through clock timers, never synchronously, so a peer that answers inside onWrite
 * cannot re-enter the code that is still writing. Timing is one zero-delay hop; baud rate does
 * not slow delivery.
 */
import { halError } from '../../firmware/hal/errors.js';
import type { Clock, TimerId } from '../../firmware/hal/clock.js';
import type { ByteStream, ByteStreamOptions } from '../../firmware/hal/pins.js';

/** The peer keeps this many written chunks, so a chatty link cannot exhaust memory. */
export const SERIAL_LOG_LIMIT = 10000;

export class MockSerialPeer {
  private stream: MockByteStream | undefined;
  private readonly log: Uint8Array[] = [];
  private readonly listeners: Array<(bytes: Uint8Array) => void> = [];
  private droppedBytes = 0;

  constructor(private readonly clock: Clock, readonly port: string) {}

  /** Sends bytes to the open stream; with none open they are lost, as on a real wire. */
  emitData(bytes: Uint8Array | number[]): void {
    const copy = Uint8Array.from(bytes);
    if (this.stream === undefined) {
      this.droppedBytes += copy.length;
      return;
    }
    this.stream.deliver(copy);
  }

  /** Every chunk the stream wrote, oldest first (copies). */
  written(): Uint8Array[] {
    return this.log.map((chunk) => chunk.slice());
  }

  /** Called (on a clock timer) with each chunk the stream writes from now on. */
  onWrite(cb: (bytes: Uint8Array) => void): void {
    this.listeners.push(cb);
  }

  /** Bytes emitted while no stream was open. */
  dropped(): number {
    return this.droppedBytes;
  }

  isOpen(): boolean {
    return this.stream !== undefined;
  }

  attach(stream: MockByteStream): void {
    if (this.stream !== undefined) {
      throw halError('E_HAL_PIN_IN_USE', this.port, `serial port ${this.port} is already open`);
    }
    this.stream = stream;
  }

  detach(stream: MockByteStream): void {
    if (this.stream === stream) this.stream = undefined;
  }

  received(bytes: Uint8Array): void {
    this.log.push(bytes);
    if (this.log.length >= SERIAL_LOG_LIMIT * 1.5) this.log.splice(0, this.log.length - SERIAL_LOG_LIMIT);
    for (const cb of this.listeners) this.clock.setTimeout(() => cb(bytes.slice()), 0);
  }
}

export class MockByteStream implements ByteStream {
  private state: 'open' | 'closed' = 'open';
  private readonly timers = new Set<TimerId>();
  private readonly onData: (bytes: Uint8Array) => void;

  /** Options must already be validated; attaches to the peer or throws E_HAL_PIN_IN_USE. */
  constructor(private readonly peer: MockSerialPeer, private readonly clock: Clock, options: ByteStreamOptions) {
    this.onData = options.onData;
    peer.attach(this);
  }

  write(bytes: Uint8Array): void {
    if (this.state === 'closed') {
      throw halError('E_HAL_CLOSED', this.peer.port, `write on serial port ${this.peer.port} after close()`);
    }
    if (!(bytes instanceof Uint8Array)) {
      throw halError('E_HAL_RANGE', this.peer.port, `serial write on ${this.peer.port} takes a Uint8Array`);
    }
    // Copy: the caller may reuse its buffer as soon as write() returns.
    this.peer.received(bytes.slice());
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    for (const id of this.timers) this.clock.clearTimer(id);
    this.timers.clear();
    this.peer.detach(this);
  }

  deliver(bytes: Uint8Array): void {
    const id: TimerId = this.clock.setTimeout(() => {
      this.timers.delete(id);
      this.onData(bytes);
    }, 0);
    this.timers.add(id);
  }
}
