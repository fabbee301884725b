/**
 * The gateway's end of one node's serial link, for a technician watching it live: opens the port
 * through an injected opener, runs the gateway's NodeConnection (a Link: hello, acknowledgements,
 * retries) with the hello of gateway 'kerb-monitor', sends the node its setup `[6, wallMs, lat,
 * lon]` after every node hello so its controller starts, and turns everything heard into items
 * decoded by the gateway's own decoder (gateway/node/node-messages.ts). Garbage never throws:
 * bad frames and refused payloads are items too, and counted.
 *
 *   idle ──open()──▶ opening ──▶ open ──close()──▶ closed
 *                       │          └──port lost──▶ lost
 *                       └──open failed (PortError)──▶ closed
 */
import type { Clock, TimerId } from '../../firmware/hal/clock.js';
import type { LinkStats } from '../../firmware/link/link.js';
import type { Hello } from '../../firmware/link/messages.js';
import { NodeConnection } from '../../gateway/node/node-connection.js';
import { decodeHello, decodeNodePayload, encodeGatewayHello, encodeSetup, LinkMessageError } from '../../gateway/node/node-messages.js';
import { describePortError, type PortError } from '../../gateway/node/port-error.js';
import type { SerialLine, SerialOpener } from '../../gateway/node/serial-line.js';

export const MONITOR_GATEWAY_ID = 'kerb-monitor';

/** `at`: wall-clock ms (the laptop's clock) when the item happened; readings and events are
 * dated back by the age the node gave them. */
export type MonitorItem =
  | { type: 'open'; at: number; port: string; baud: number }
  | { type: 'hello'; at: number; hello: Hello }
  | { type: 'setup'; at: number; wallMs: number | null; latitude: number; longitude: number }
  | { type: 'reading'; at: number; metric: string; value: number }
  | { type: 'event'; at: number; name: string; severity: string; value: number; detail: string }
  | { type: 'state'; at: number; state: { [key: string]: number | string | boolean } }
  | { type: 'result'; at: number; id: number; code: string; message: string }
  | { type: 'refused'; at: number; what: 'hello' | 'data'; bytes: number; reason: string }
  | { type: 'bad-frames'; at: number; count: number; total: number }
  | { type: 'link'; at: number; stats: MonitorStats }
  | { type: 'lost'; at: number; code: string; message: string };

export type MonitorItemType = MonitorItem['type'];

export interface MonitorStats {
  bytesIn: number;
  /** Frames heard: hellos and data frames delivered, repeats, and bad ones. */
  hellos: number;
  dataFrames: number;
  duplicates: number;
  badFrames: number;
  refusedPayloads: number;
  /** Frames this end sent, and resent for want of an acknowledgement. */
  sent: number;
  retries: number;
}

export type MonitorState = 'idle' | 'opening' | 'open' | 'closed' | 'lost';

export interface MonitorOptions {
  open: SerialOpener;
  clock: Clock;
  port: string;
  baud: number;
  /**
   * The device's place, sent with the time as the gateway does. Undefined: no setup is sent (the
   * node saves what it is told, and a wrong place would skew a lamp's sun schedule until its
   * gateway corrects it); the node's controller then starts on its own after 5 s.
   */
  place?: { latitude: number; longitude: number };
  onItem: (item: MonitorItem) => void;
  /** A `link` item this often; 0 for never. Default 10 s. */
  statsEveryMs?: number;
  /** Numbers this monitor's hello so the node takes it as new; default the wall clock's seconds. */
  session?: number;
}

const SETUP_EVERY_MS = 3_600_000;

export class MonitorSession {
  state: MonitorState = 'idle';
  /** The error the port was lost with, when state is 'lost'. */
  lostWith: PortError | undefined;
  private line: SerialLine | undefined;
  private conn: NodeConnection | undefined;
  private bytesIn = 0;
  private refused = 0;
  private badSeen = 0;
  private heard = false;
  private hellos = 0;
  private readonly timers: TimerId[] = [];
  private readonly counts = new Map<MonitorItemType, number>();
  private closedLine: Promise<void> = Promise.resolve();
  /** Called once when the port is lost by itself (not after close()). */
  onLost: ((err: PortError) => void) | undefined;

  constructor(private readonly o: MonitorOptions) {}

  /** Opens the port and starts the link; rejects with a PortError saying what to do. */
  async open(): Promise<void> {
    if (this.state !== 'idle') throw new Error(`open() in state ${this.state}`);
    this.state = 'opening';
    let line: SerialLine;
    try {
      line = await this.o.open({ path: this.o.port, baudRate: this.o.baud });
    } catch (err) {
      this.state = 'closed';
      throw describePortError(this.o.port, err, 'open');
    }
    this.line = line;
    this.state = 'open';
    this.closedLine = new Promise((resolve) => line.on('close', () => resolve()));
    this.emit({ type: 'open', at: this.o.clock.wallTime(), port: this.o.port, baud: this.o.baud });
    const session = this.o.session ?? Math.floor(this.o.clock.wallTime() / 1000) % 0x7fffffff;
    this.conn = new NodeConnection(line, {
      clock: this.o.clock, hello: encodeGatewayHello(MONITOR_GATEWAY_ID, 0, session), retryMs: 500, queueLength: 16,
    }, {
      onHello: (payload) => this.onHello(payload),
      onData: (payload) => this.onData(payload),
      onLost: (err) => this.lost(err),
      onError: () => undefined, // a failed write: the link resends
    });
    // After the connection's own listener, so the link has counted what this chunk held.
    line.on('data', (chunk: Buffer) => this.onBytes(chunk.length));
    const every = this.o.statsEveryMs ?? 10_000;
    if (every > 0) this.timers.push(this.o.clock.setInterval(() => this.emit({ type: 'link', at: this.o.clock.wallTime(), stats: this.stats() }), every));
    this.timers.push(this.o.clock.setInterval(() => this.sendSetup(), SETUP_EVERY_MS));
  }

  /** Stops the link and closes the port; resolves once the port has closed. */
  async close(): Promise<void> {
    this.stopTimers();
    if (this.state !== 'open') return;
    this.state = 'closed';
    const wasOpen = this.line?.isOpen === true;
    this.conn?.close();
    if (wasOpen) await this.closedLine;
  }

  stats(): MonitorStats {
    const link: LinkStats = this.conn?.stats() ?? { sent: 0, resent: 0, delivered: 0, duplicates: 0, dropped: 0, frameErrors: 0 };
    return {
      bytesIn: this.bytesIn, hellos: this.hellos, dataFrames: link.delivered, duplicates: link.duplicates,
      badFrames: link.frameErrors, refusedPayloads: this.refused, sent: link.sent, retries: link.resent,
    };
  }

  /** How many items of each type were shown. */
  itemCounts(): { [type: string]: number } {
    return Object.fromEntries(this.counts);
  }

  private emit(item: MonitorItem): void {
    this.counts.set(item.type, (this.counts.get(item.type) ?? 0) + 1);
    this.o.onItem(item);
  }

  private onBytes(n: number): void {
    this.bytesIn += n;
    const total = this.conn?.stats().frameErrors ?? 0;
    if (total > this.badSeen) {
      this.emit({ type: 'bad-frames', at: this.o.clock.wallTime(), count: total - this.badSeen, total });
      this.badSeen = total;
    }
  }

  private onHello(payload: Uint8Array): void {
    this.hellos++;
    this.heard = true;
    const hello = this.decoded('hello', payload, decodeHello);
    if (hello !== undefined) this.emit({ type: 'hello', at: this.o.clock.wallTime(), hello });
    this.sendSetup(); // after every node hello, as the gateway's driver does: the controller waits for it
  }

  private onData(payload: Uint8Array): void {
    if (!this.heard) {
      this.heard = true; // a node already running, heard before its hello: it gets the setup too
      this.sendSetup();
    }
    const now = this.o.clock.now();
    const wall = this.o.clock.wallTime();
    const wallOf = (t: number): number => wall - (now - t);
    const p = this.decoded('data', payload, (bytes) => decodeNodePayload(bytes, now));
    if (p === undefined) return;
    for (const out of p.outputs) {
      if (out.type === 'reading') this.emit({ type: 'reading', at: wallOf(out.time), metric: out.metric, value: out.value });
      else this.emit({ type: 'event', at: wallOf(out.time), name: out.name, severity: out.severity, value: out.value, detail: out.detail });
    }
    if (p.state !== undefined) this.emit({ type: 'state', at: wall, state: p.state });
    for (const r of p.results) this.emit({ type: 'result', at: wall, id: r.id, code: r.code, message: r.message });
  }

  /** The decoded payload, or undefined after showing why it was refused. */
  private decoded<T>(what: 'hello' | 'data', payload: Uint8Array, decode: (bytes: Uint8Array) => T): T | undefined {
    try {
      return decode(payload);
    } catch (err) {
      const reason = err instanceof LinkMessageError ? err.message : `could not be decoded (${(err as Error).message ?? String(err)})`;
      this.refused++;
      this.emit({ type: 'refused', at: this.o.clock.wallTime(), what, bytes: payload.length, reason });
      return undefined;
    }
  }

  private sendSetup(): void {
    if (this.conn === undefined || this.state !== 'open') return;
    const { clock, place } = this.o;
    if (place === undefined) return;
    const { latitude, longitude } = place;
    const wallMs = clock.wallSynced() ? Math.round(clock.wallTime()) : null;
    this.conn.send(encodeSetup(wallMs, latitude, longitude));
    this.emit({ type: 'setup', at: clock.wallTime(), wallMs, latitude, longitude });
  }

  private lost(err: unknown): void {
    if (this.state !== 'open') return;
    this.state = 'lost';
    this.stopTimers();
    this.lostWith = describePortError(this.o.port, err, 'lost');
    // The advice is the gateway's, which reopens the port by itself; the monitor does not.
    const message = this.lostWith.message.replace(/the gateway reopens the port.*$/, 'kerb monitor stops here: start it again once the port is back');
    this.emit({ type: 'lost', at: this.o.clock.wallTime(), code: this.lostWith.code, message });
    this.onLost?.(this.lostWith);
  }

  private stopTimers(): void {
    for (const t of this.timers.splice(0)) this.o.clock.clearTimer(t);
  }
}
