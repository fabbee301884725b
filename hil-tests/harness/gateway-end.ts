/**
 * The gateway's end of a node's serial link, on the virtual clock, for tests that put a node
 * (the TypeScript runtime on the mock, or the compiled bundle in QuickJS) on the bench: the real
 * Link and the gateway's real decoders, without serialport's real-time I/O in between.
 */
import type { Clock } from '../../firmware/hal/clock.js';
import type { Command, Location, Output, StateValue } from '../../firmware/devices/types.js';
import { Link } from '../../firmware/link/link.js';
import type { Hello } from '../../firmware/link/messages.js';
import {
  decodeHello, decodeNodePayload, encodeCommand, encodeGatewayHello, encodeSetup, type NodeCommandResult,
} from '../../gateway/node/node-messages.js';

export interface GatewayEndOptions {
  epoch?: number;
  /** Answer every node hello with a setup, as the gateway's driver does. */
  setup?: { wall: () => number; location: Location };
  /** Do not start the link (say hello) until open() is called. */
  deferOpen?: boolean;
}

export class GatewayEnd {
  readonly link: Link;
  readonly hellos: Hello[] = [];
  readonly outputs: Output[] = [];
  readonly results: NodeCommandResult[] = [];
  readonly refused: string[] = [];
  state: { [key: string]: StateValue } | undefined;
  /** Called after each node hello (after `options.setup` is sent, if given). */
  onHello: (hello: Hello) => void = () => undefined;
  private nextId = 1;
  private readonly epoch: number;

  constructor(private readonly clock: Clock, write: (bytes: Uint8Array) => void, options: GatewayEndOptions = {}) {
    this.link = new Link({
      clock, write, retryMs: 500, queueLength: 16,
      onHello: (payload) => {
        const hello = decodeHello(payload);
        this.hellos.push(hello);
        const s = options.setup;
        if (s !== undefined) this.setup(s.wall(), s.location.latitude, s.location.longitude);
        this.onHello(hello);
      },
      onData: (payload) => {
        try {
          const p = decodeNodePayload(payload, this.clock.now());
          this.outputs.push(...p.outputs);
          this.results.push(...p.results);
          if (p.state !== undefined) this.state = { ...this.state, ...p.state };
        } catch (err) {
          this.refused.push((err as Error).message);
        }
      },
    });
    this.epoch = options.epoch ?? 1;
    if (!options.deferOpen) this.open();
  }

  /** Starts the link: the gateway's hello goes out. */
  open(): void {
    this.link.start(encodeGatewayHello('gw-test', this.epoch));
  }

  /** Bytes from the node. */
  receive(bytes: Uint8Array): void {
    this.link.receive(bytes);
  }

  /** Sends a command; returns its id (the node's answer arrives in `results`). */
  command(cmd: Command): number {
    const id = this.nextId++;
    this.link.send(encodeCommand(id, cmd));
    return id;
  }

  setup(wallMs: number | null, latitude: number, longitude: number): void {
    this.link.send(encodeSetup(wallMs, latitude, longitude));
  }

  result(id: number): NodeCommandResult | undefined {
    return this.results.find((r) => r.id === id);
  }

  values(metric: string): number[] {
    return this.outputs.filter((o) => o.type === 'reading' && o.metric === metric).map((o) => o.value);
  }

  events(name: string): Output[] {
    return this.outputs.filter((o) => o.type === 'event' && o.name === name);
  }

  stop(): void {
    this.link.stop();
  }
}
