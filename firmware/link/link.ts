/**
 * One end of the node <-> gateway serial link: reliable, in-order delivery of small payloads
 * over a line that loses, corrupts and garbles bytes, and survives either end restarting.
 *
 * Stop-and-wait: one frame outstanding, acknowledged by an ACK frame carrying its seq, resent
 * after retryMs (doubling up to 8x) until it is. At 115200 baud a 200-byte frame takes 17 ms, so
 * a window would buy little and cost a node RAM. The receiver delivers a frame whose seq is the
 * one it expects, re-acknowledges a repeat of the last one, and after start-up (or after the
 * other end says hello) accepts whatever seq comes next. Every start begins with a HELLO frame
 * (device id, firmware version, ... as CBOR), sent reliably like data.
 * Delivery is exactly once while both ends run; a restart can repeat the frame in flight.
 */
import type { Clock, TimerId } from '../hal/clock.js';
import { sameBytes } from './bytes.js';
import { encodeFrame, FRAME_ACK, FRAME_DATA, FRAME_HELLO, FrameReader, type Frame } from './frame.js';

export interface LinkOptions {
  clock: Clock;
  /** Puts bytes on the line. */
  write: (bytes: Uint8Array) => void;
  /** A data payload from the other end, in order. */
  onData: (payload: Uint8Array) => void;
  /** The other end (re)started and said who it is. */
  onHello: (payload: Uint8Array) => void;
  /** First resend after this long without an acknowledgement. */
  retryMs: number;
  /** Payloads waiting to be sent; when full the oldest waiting one is dropped and counted. */
  queueLength: number;
}

export interface LinkStats {
  sent: number;
  resent: number;
  delivered: number;
  duplicates: number;
  dropped: number;
  frameErrors: number;
}

const NOT_KNOWN = -1;

export class Link {
  private readonly o: LinkOptions;
  private readonly reader: FrameReader;
  private readonly queue: Array<{ type: number; payload: Uint8Array } | undefined>;
  private head = 0;
  private count = 0;
  private seq = 0;
  private inFlight: Uint8Array | undefined;
  private attempts = 0;
  private timer: TimerId | undefined;
  private expected = NOT_KNOWN;
  private lastType = 0;
  private lastHello: Uint8Array | undefined;
  private running = false;
  readonly stats: LinkStats = { sent: 0, resent: 0, delivered: 0, duplicates: 0, dropped: 0, frameErrors: 0 };

  constructor(options: LinkOptions) {
    this.o = options;
    this.queue = [];
    for (let i = 0; i < options.queueLength; i++) this.queue.push(undefined);
    this.reader = new FrameReader((frame) => this.onFrame(frame));
  }

  /** Starts the link with this end's hello; it goes out before any data. */
  start(hello: Uint8Array): void {
    this.running = true;
    this.enqueue(FRAME_HELLO, hello, true);
    this.pump();
  }

  /**
   * Says this end's hello again, ahead of waiting data: for an other end that restarted while this
   * one ran, so it learns who it talks to without waiting for this end's next restart.
   */
  rehello(hello: Uint8Array): void {
    if (!this.running) return;
    this.enqueue(FRAME_HELLO, hello, true);
    this.pump();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.o.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  /** Queues a payload; false when the queue was full (the oldest waiting payload was dropped). */
  send(payload: Uint8Array): boolean {
    const room = this.enqueue(FRAME_DATA, payload, false);
    this.pump();
    return room;
  }

  /** Bytes from the line. */
  receive(bytes: Uint8Array): void {
    const before = this.reader.stats.errors;
    this.reader.push(bytes);
    this.stats.frameErrors += this.reader.stats.errors - before;
  }

  /** Payloads not yet acknowledged: waiting in the queue, plus the one in flight. */
  waiting(): number {
    return this.count + (this.inFlight === undefined ? 0 : 1);
  }

  /** True when another send() would drop the oldest waiting payload. */
  full(): boolean {
    return this.count >= this.queue.length;
  }

  private enqueue(type: number, payload: Uint8Array, first: boolean): boolean {
    const n = this.queue.length;
    let room = true;
    if (this.count === n) {
      this.head = (this.head + 1) % n; // drop the oldest waiting payload
      this.count--;
      this.stats.dropped++;
      room = false;
    }
    if (first) {
      this.head = (this.head + n - 1) % n;
      this.queue[this.head] = { type: type, payload: payload };
    } else {
      this.queue[(this.head + this.count) % n] = { type: type, payload: payload };
    }
    this.count++;
    return room;
  }

  private pump(): void {
    if (!this.running || this.inFlight !== undefined || this.count === 0) return;
    const next = this.queue[this.head];
    this.queue[this.head] = undefined;
    this.head = (this.head + 1) % this.queue.length;
    this.count--;
    if (next === undefined) return;
    this.inFlight = encodeFrame(next.type, this.seq, 0, next.payload);
    this.attempts = 0;
    this.transmit();
  }

  private transmit(): void {
    const frame = this.inFlight;
    if (frame === undefined || !this.running) return;
    if (this.attempts === 0) this.stats.sent++;
    else this.stats.resent++;
    const backoff = this.attempts < 3 ? 1 << this.attempts : 8;
    this.attempts++;
    this.o.write(frame);
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = undefined;
      this.transmit();
    }, this.o.retryMs * backoff);
  }

  private onFrame(frame: Frame): void {
    if (frame.type === FRAME_ACK) {
      if (this.inFlight !== undefined && frame.ack === this.seq) {
        if (this.timer !== undefined) this.o.clock.clearTimer(this.timer);
        this.timer = undefined;
        this.inFlight = undefined;
        this.seq = (this.seq + 1) & 0xff;
        this.pump();
      }
      return;
    }
    if (frame.type !== FRAME_DATA && frame.type !== FRAME_HELLO) return;
    // Stop-and-wait allows only the next frame or a repeat of the last one (its ACK was lost).
    // Anything else means the ends lost step (a missed hello): take it as new rather than
    // refuse it for ever.
    // A hello is a repeat only if it says the same thing (each start's hello differs: the
    // node's carries its boot count, the gateway's its epoch).
    const repeat = this.expected !== NOT_KNOWN && frame.seq === ((this.expected + 255) & 0xff) && frame.type === this.lastType &&
      (frame.type !== FRAME_HELLO || sameBytes(frame.payload, this.lastHello));
    // A new hello means the other end started afresh: its numbering starts again.
    if (!repeat && frame.type === FRAME_HELLO) this.expected = NOT_KNOWN;
    const fresh = !repeat;
    this.lastType = frame.type;
    if (fresh) {
      this.expected = (frame.seq + 1) & 0xff;
      if (frame.type === FRAME_HELLO) {
        this.lastHello = frame.payload;
        this.o.onHello(frame.payload);
      }
      if (frame.type === FRAME_DATA) {
        this.stats.delivered++;
        this.o.onData(frame.payload);
      }
    } else {
      this.stats.duplicates++;
    }
    // Acknowledge fresh frames and repeats alike: a lost ACK must not stall the other end.
    this.o.write(encodeFrame(FRAME_ACK, 0, frame.seq, new Uint8Array(0)));
  }
}
