/**
 * Keeps a node's serial port open: opens it through the injected opener, runs a NodeConnection
 * (a Link with a fresh hello) over it, and when opening fails or the port is lost (a pulled
 * cable: serialport closes the stream with an error whose `disconnected` is true) reports it to
 * LinkHealth and tries again after 1 s, 2 s, 4 s ... 30 s on the gateway's clock. A port that
 * stays open but silent for reopenAfterSilentMs (a hung USB serial adapter: the tty stays, no
 * bytes flow) is closed and reopened the same way. The backoff starts again once the node is
 * heard on a connection.
 */
import type { Clock, TimerId } from '../../firmware/hal/clock.js';
import type { LinkStats } from '../../firmware/link/link.js';
import type { Logger } from '../log/logger.js';
import type { LinkHealth } from './link-health.js';
import { NodeConnection } from './node-connection.js';
import { describePortError } from './port-error.js';
import { ReopenBackoff } from './reopen-backoff.js';
import type { SerialLine, SerialOpener } from './serial-line.js';

export interface NodePortOptions {
  port: string;
  baud: number;
  clock: Clock;
  log: Logger;
  open: SerialOpener;
  health: LinkHealth;
  /** This end's hello for connection number `session` (1, 2, ...). */
  helloFor: (session: number) => Uint8Array;
  retryMs: number;
  queueLength: number;
  reopenFirstMs?: number | undefined;
  reopenMaxMs?: number | undefined;
  /** A port open and 'silent' this long (since its last frame or its opening) is closed and reopened. */
  reopenAfterSilentMs: number;
  onHello: (payload: Uint8Array) => void;
  onData: (payload: Uint8Array) => void;
  /** A connection ended (lost, or closed by stop()): whatever it carried is gone. */
  onRetired: (why: string) => void;
  /** Runs a callback from the port or a timer, catching what it throws. */
  guard: (what: string, fn: () => void) => void;
}

export interface PortStats {
  /** Ports opened, open attempts that failed, and opens after a loss or failure. */
  opens: number;
  openFailures: number;
  reconnects: number;
  /** Ports closed to be reopened because nothing was heard on them for reopenAfterSilentMs. */
  silentReopens: number;
  /** Every connection's link counters added up. */
  linkStats: LinkStats;
}

export class NodePort {
  private readonly backoff: ReopenBackoff;
  private readonly past: LinkStats = { sent: 0, resent: 0, delivered: 0, duplicates: 0, dropped: 0, frameErrors: 0 };
  private readonly counts = { opens: 0, openFailures: 0, reconnects: 0, silentReopens: 0 };
  private conn: NodeConnection | undefined;
  /** Numbers open attempts: the result of one that is no longer the latest is closed. */
  private attempt = 0;
  private session = 0;
  private running = false;
  private everFailed = false;
  private heardOnConnection = false;
  private reopenTimer: TimerId | undefined;

  constructor(private readonly o: NodePortOptions) {
    this.backoff = new ReopenBackoff(o.reopenFirstMs, o.reopenMaxMs);
  }

  start(): void {
    this.running = true;
    this.o.health.connecting();
    this.openPort();
  }

  stop(): void {
    this.running = false;
    this.attempt++; // an open still in flight is closed when it lands
    if (this.reopenTimer !== undefined) this.o.clock.clearTimer(this.reopenTimer);
    this.reopenTimer = undefined;
    this.retire('the driver stopped');
  }

  /** Queues a payload on the open connection; false when there is none or its queue overflowed. */
  send(payload: Uint8Array): boolean {
    return this.conn !== undefined && this.conn.send(payload);
  }

  isOpen(): boolean {
    return this.conn !== undefined;
  }

  /** A frame from the node; true when it is the first on this connection. */
  heard(): boolean {
    this.o.health.heard();
    if (this.heardOnConnection) return false;
    this.heardOnConnection = true;
    this.backoff.reset();
    return true;
  }

  /**
   * Closes and reopens a port that has been open and silent for reopenAfterSilentMs; the driver's
   * watch calls it every second. Each open restarts the quiet time, so a node still silent after
   * a reopen waits a full period (and the backoff) before the next one.
   */
  check(): void {
    if (!this.running || this.conn === undefined || this.o.health.state() !== 'silent') return;
    const quietMs = this.o.health.quietMs();
    if (quietMs < this.o.reopenAfterSilentMs) return;
    this.counts.silentReopens++;
    this.everFailed = true;
    const seconds = Math.round(quietMs / 1000);
    this.retire(`the port was closed after ${seconds} s of silence`);
    this.o.log.warn('node.port-reopen', {
      reason: `nothing heard for ${seconds} s with the port open: closing it and opening it again (a hung USB serial adapter recovers so)`,
      silentReopens: this.counts.silentReopens,
    });
    this.reopenLater();
  }

  stats(): PortStats {
    const linkStats = { ...this.past };
    const now = this.conn?.stats();
    if (now) for (const k of Object.keys(linkStats) as Array<keyof LinkStats>) linkStats[k] += now[k];
    return { ...this.counts, linkStats };
  }

  private openPort(): void {
    const attempt = ++this.attempt;
    let opening: Promise<SerialLine>;
    try {
      opening = this.o.open({ path: this.o.port, baudRate: this.o.baud });
    } catch (err) {
      opening = Promise.reject(err);
    }
    opening.then(
      (line) => this.o.guard('open', () => this.opened(attempt, line)),
      (err: unknown) => this.o.guard('open', () => {
        if (attempt !== this.attempt || !this.running) return;
        this.counts.openFailures++;
        this.fail(describePortError(this.o.port, err, 'open').message, 'node.open-failed');
      }),
    );
  }

  private opened(attempt: number, line: SerialLine): void {
    if (attempt !== this.attempt || !this.running) {
      line.on('error', () => undefined);
      line.close(() => undefined);
      return;
    }
    this.counts.opens++;
    if (this.everFailed) this.counts.reconnects++;
    this.session++;
    this.heardOnConnection = false;
    this.o.health.connecting();
    const options = { clock: this.o.clock, hello: this.o.helloFor(this.session), retryMs: this.o.retryMs, queueLength: this.o.queueLength };
    const conn: NodeConnection = new NodeConnection(line, options, {
      onHello: (payload) => this.o.guard('hello', () => this.o.onHello(payload)),
      onData: (payload) => this.o.guard('data', () => this.o.onData(payload)),
      onLost: (err) => this.o.guard('lost', () => {
        if (conn === this.conn) this.fail(describePortError(this.o.port, err, 'lost').message, 'node.port-lost');
      }),
      onError: (err) => this.o.log.warn('node.port-error', { error: err.message }),
    });
    this.conn = conn;
    this.o.log.info('node.port-open', { baud: this.o.baud, session: this.session, reconnect: this.everFailed });
  }

  /** The port is gone or would not open: down, and try again after the backoff. */
  private fail(reason: string, logEvent: string): void {
    this.everFailed = true;
    this.retire('the connection to the node was lost');
    this.o.log.warn(logEvent, { error: reason, failures: this.counts.openFailures });
    this.o.health.down(reason);
    this.reopenLater();
  }

  private reopenLater(): void {
    this.reopenTimer = this.o.clock.setTimeout(() => {
      this.reopenTimer = undefined;
      this.openPort();
    }, this.backoff.next());
  }

  /** Closes the current connection, keeping its counters. */
  private retire(why: string): void {
    const conn = this.conn;
    this.conn = undefined;
    if (conn === undefined) return;
    conn.close();
    const s = conn.stats();
    for (const k of Object.keys(s) as Array<keyof LinkStats>) this.past[k] += s[k];
    this.o.onRetired(why);
  }
}
