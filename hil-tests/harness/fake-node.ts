/**
 * A Kerb node played by a test: the node's end of the serial link, built from firmware/link's
 * Link and message encoders, with outputs scripted by the test or emitted by a real controller
 * on a MockHal. It answers commands with its controller's result (OK without one), and keeps
 * everything the gateway sent for assertions. `restart()` is a reboot: a new link and a hello
 * with the next boot count. Bytes go out through `write`, whatever the line is. With
 * `heartbeatMs` it sends its state that often, as a real node does, so the gateway hears it.
 */
import type { Controller, Output, StateValue } from '../../firmware/devices/types.js';
import type { Clock } from '../../firmware/hal/clock.js';
import { decodeCbor } from '../../firmware/link/cbor-reader.js';
import { CborWriter } from '../../firmware/link/cbor-writer.js';
import { MAX_PAYLOAD } from '../../firmware/link/frame.js';
import { Link } from '../../firmware/link/link.js';
import {
  encodeHello, encodeOutputs, encodeResult, encodeState, readGatewayPayload,
  type CommandMessage, type GatewayMessage, type Hello, type SetupMessage,
} from '../../firmware/link/messages.js';

export interface FakeNodeOptions {
  clock: Clock;
  hello: Hello;
  /** Bytes towards the gateway. */
  write: (bytes: Uint8Array) => void;
  retryMs?: number;
  /** Sends the controller's state this often, as a real node's heartbeat does; default never. */
  heartbeatMs?: number;
}

export class FakeNode {
  hello: Hello;
  /** Answers commands when set; a node without one answers OK. */
  controller: Controller | undefined;
  readonly received: GatewayMessage[] = [];
  readonly gatewayHellos: unknown[] = [];
  /** Downlink payloads the node could not read, with the reason. */
  readonly refused: string[] = [];
  private readonly writer = new CborWriter(MAX_PAYLOAD);
  private readonly scratch = new CborWriter(MAX_PAYLOAD);
  private link: Link;
  private heartbeat: number | undefined;

  constructor(private readonly o: FakeNodeOptions) {
    this.hello = { ...o.hello };
    this.link = this.makeLink();
  }

  /** Powers up: the link starts with the node's hello. */
  start(): void {
    const hello = encodeHello(this.writer, this.hello);
    if (hello === undefined) throw new Error('the fake node hello does not fit a frame');
    this.link.start(hello.slice());
    const every = this.o.heartbeatMs;
    if (every !== undefined && this.heartbeat === undefined) {
      this.heartbeat = this.o.clock.setInterval(() => this.sendState(this.controller ? this.controller.state() : { alive: true }), every);
    }
  }

  /** Reboots: a new link, the next boot count (and any other hello changes). */
  restart(changes: Partial<Hello> = {}): void {
    this.link.stop();
    this.hello = { ...this.hello, boot: this.hello.boot + 1, ...changes };
    this.link = this.makeLink();
    this.start();
  }

  stop(): void {
    this.link.stop();
    if (this.heartbeat !== undefined) this.o.clock.clearTimer(this.heartbeat);
    this.heartbeat = undefined;
  }

  /** Bytes from the line. */
  receive(bytes: Uint8Array): void {
    this.link.receive(bytes);
  }

  /** Sends outputs, as many per frame as fit. */
  emit(outputs: Output[]): void {
    const now = this.o.clock.now();
    for (let from = 0; from < outputs.length;) {
      const n = encodeOutputs(this.writer, this.scratch, outputs, from, now);
      if (n === 0) throw new Error('an output does not fit a frame');
      this.link.send(this.writer.bytes().slice());
      from += n;
    }
  }

  /** Sends a state snapshot, in as many frames as it needs (the gateway merges them). */
  sendState(state: { [key: string]: StateValue }): void {
    const keys = Object.keys(state);
    for (let from = 0; from < keys.length;) {
      const n = encodeState(this.writer, this.scratch, state, keys, from);
      if (n === 0) throw new Error(`state key ${keys[from]} does not fit a frame`);
      this.link.send(this.writer.bytes().slice());
      from += n;
    }
  }

  /** Any payload, as a data frame: for garbage the link itself would carry faithfully. */
  sendPayload(bytes: Uint8Array): void {
    this.link.send(bytes);
  }

  commands(): CommandMessage[] {
    return this.received.filter((m): m is CommandMessage => m.type === 'command');
  }

  setups(): SetupMessage[] {
    return this.received.filter((m): m is SetupMessage => m.type === 'setup');
  }

  /** Payloads queued or in flight on the node's link. */
  waiting(): number {
    return this.link.waiting();
  }

  private makeLink(): Link {
    return new Link({
      clock: this.o.clock, retryMs: this.o.retryMs ?? 500, queueLength: 32,
      write: (bytes) => this.o.write(bytes),
      onHello: (payload) => this.gatewayHellos.push(decodeCbor(payload).value),
      onData: (payload) => this.onGateway(payload),
    });
  }

  private onGateway(payload: Uint8Array): void {
    const into: GatewayMessage[] = [];
    const error = readGatewayPayload(payload, into);
    if (error !== '') {
      this.refused.push(error);
      return;
    }
    for (const m of into) {
      this.received.push(m);
      if (m.type !== 'command') continue;
      const result = this.controller ? this.controller.command(m.command) : { ok: true, code: 'OK', message: 'done' };
      this.link.send(encodeResult(this.writer, m.id, result).slice());
    }
  }
}
