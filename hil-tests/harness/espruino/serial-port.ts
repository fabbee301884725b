/**
 * A UART of a fake node (Serial1, ...) on the MockHal serial port of the same name. Two faces:
 *
 * - the test's: send() puts bytes on the wire towards the node, onWrite()/written() hear what
 *   the node sends; baud/rx/tx show what the node's setup() asked for. These are the MockHal
 *   peer's controls, so `hal.serial('Serial1')` works just as well.
 * - the node's: open() on setup() (or on the first write, at 9600 baud, or at boot when the
 *   port is the console); received bytes are handed on in order, at most `chunkBytes` per call,
 *   one call per clock tick, the way Espruino's event loop hands out UART data in small pieces.
 * Bytes sent while the port is closed are lost, as on a real wire (hal.serial(port).dropped()).
 */
import type { ByteStream } from '../../../firmware/hal/pins.js';
import type { MockHal } from '../mock-hal.js';
import type { BootTimers } from './boot-timers.js';

export class FakeSerialPort {
  /** What the node's last setup() asked for; undefined until the port was first opened. */
  baud: number | undefined;
  rx: string | undefined;
  tx: string | undefined;
  private stream: ByteStream | undefined;
  private inbox: Uint8Array[] = [];
  private draining = false;
  private timers: BootTimers | undefined;
  private deliver: ((bytes: Uint8Array) => void) | undefined;

  constructor(private readonly hal: MockHal, readonly port: string, private readonly chunkBytes: number) {}

  // ---- the test's side

  /** Sends bytes to the node (a string is taken as a binary string, one byte per char). */
  send(bytes: Uint8Array | number[] | string): void {
    const data = typeof bytes === 'string' ? Uint8Array.from(bytes, (c) => c.charCodeAt(0) & 255) : Uint8Array.from(bytes);
    this.hal.serial(this.port).emitData(data);
  }

  /** Called (from a clock timer) with every chunk the node writes from now on. */
  onWrite(listener: (bytes: Uint8Array) => void): void {
    this.hal.serial(this.port).onWrite(listener);
  }

  /** Every chunk the node wrote, oldest first. */
  written(): Uint8Array[] {
    return this.hal.serial(this.port).written();
  }

  /** Everything the node wrote, as one byte array. */
  writtenBytes(): Uint8Array {
    const chunks = this.written();
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  isOpen(): boolean {
    return this.stream !== undefined;
  }

  // ---- the node's side

  open(baud: number, rx: string | undefined, tx: string | undefined, timers: BootTimers, deliver: (bytes: Uint8Array) => void): void {
    this.baud = baud;
    this.rx = rx;
    this.tx = tx;
    this.timers = timers;
    this.deliver = deliver;
    if (this.stream !== undefined) return; // a new setup() on an open port only changes settings
    this.stream = this.hal.byteStream({ port: this.port, baud, onData: (bytes) => this.received(bytes) });
  }

  write(bytes: Uint8Array): void {
    this.stream?.write(bytes);
  }

  close(): void {
    this.stream?.close();
    this.stream = undefined;
    this.inbox = [];
    this.draining = false;
    this.timers = undefined;
    this.deliver = undefined;
  }

  private received(bytes: Uint8Array): void {
    this.inbox.push(bytes);
    if (!this.draining) this.drain();
  }

  private drain(): void {
    const deliver = this.deliver;
    if (deliver === undefined || this.inbox.length === 0) {
      this.draining = false;
      return;
    }
    const head = this.inbox[0]!;
    const chunk = head.subarray(0, this.chunkBytes);
    if (chunk.length === head.length) this.inbox.shift();
    else this.inbox[0] = head.subarray(chunk.length);
    this.draining = this.inbox.length > 0;
    if (this.draining) this.timers?.after(0, () => this.drain());
    deliver(chunk.slice());
  }
}
