/**
 * One open serial port and the link running over it, from the port opening to its loss. A
 * reconnect builds a new NodeConnection (a fresh Link, a fresh hello), so nothing of a lost
 * connection leaks into the next: not its queue, not its sequence numbers, not a late event
 * from the old port. Once closed (by close() or by losing the port) it delivers nothing more.
 */
import type { Clock } from '../../firmware/hal/clock.js';
import { Link, type LinkStats } from '../../firmware/link/link.js';
import type { SerialLine } from './serial-line.js';

export interface ConnectionEvents {
  onHello(payload: Uint8Array): void;
  onData(payload: Uint8Array): void;
  /** The port closed or failed by itself; called at most once, never after close(). */
  onLost(err: unknown): void;
  /** An error the port reported while it stayed open (a failed write). */
  onError(err: Error): void;
}

export interface ConnectionOptions {
  clock: Clock;
  /** This end's hello, sent before anything else. */
  hello: Uint8Array;
  retryMs: number;
  queueLength: number;
}

export class NodeConnection {
  private readonly link: Link;
  private closed = false;

  constructor(private readonly line: SerialLine, options: ConnectionOptions, private readonly events: ConnectionEvents) {
    this.link = new Link({
      clock: options.clock, retryMs: options.retryMs, queueLength: options.queueLength,
      write: (bytes) => this.write(bytes),
      onHello: (payload) => {
        if (!this.closed) events.onHello(payload);
      },
      onData: (payload) => {
        if (!this.closed) events.onData(payload);
      },
    });
    line.on('data', (chunk: Buffer) => {
      if (!this.closed) this.link.receive(chunk);
    });
    line.on('close', (err: Error | null) => this.lost(err));
    line.on('end', () => this.lost(new Error('the port reported end of file')));
    line.on('error', (err: Error) => {
      if (this.closed) return; // an error from a port we closed: nobody to tell
      if (line.isOpen) events.onError(err);
      else this.lost(err);
    });
    this.link.start(options.hello);
  }

  /** Queues a payload; false when the queue was full and the oldest waiting one was dropped. */
  send(payload: Uint8Array): boolean {
    return this.closed ? false : this.link.send(payload);
  }

  stats(): LinkStats {
    return { ...this.link.stats };
  }

  /** Stops the link and closes the port; nothing is delivered after this. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.link.stop();
    if (this.line.isOpen) this.line.close(() => undefined);
  }

  private lost(err: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.link.stop();
    if (this.line.isOpen) this.line.close(() => undefined);
    this.events.onLost(err);
  }

  private write(bytes: Uint8Array): void {
    if (this.closed || !this.line.isOpen) return; // bytes for a port that is gone are lost, as on a wire
    this.line.write(Buffer.from(bytes));
  }
}
