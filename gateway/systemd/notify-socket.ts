/**
 * sd_notify(3) for the gateway: state changes (READY=1, STOPPING=1, RELOADING=1, STATUS=...) and
 * watchdog pings sent as datagrams to the socket systemd names in $NOTIFY_SOCKET (a path, or an
 * abstract name when it starts with '@'). Without NOTIFY_SOCKET (not started by a Type=notify
 * unit: the demo, tests, a shell) every call is a no-op, said once at debug level. A failed send
 * (socket gone, systemd restarting) is logged once per run of failures and never thrown: telling
 * systemd is best effort, and the gateway must go on serving the street either way.
 */
import type { Logger } from '../log/logger.js';
import { DatagramError, UnixDatagramSocket } from './unix-datagram.js';

/** What the watchdog needs from a notifier (NotifySocket, or a recording double). */
export interface Notifier {
  /** Sends one message of KEY=VALUE assignments; never throws. */
  notify(fields: Record<string, string>): void;
  /** RELOADING=1 with MONOTONIC_USEC, as systemd 253+ expects. */
  reloading(): void;
  close(): void;
}

export interface NotifySocketOptions {
  /** $NOTIFY_SOCKET: undefined or empty when systemd did not ask to be told. */
  socket: string | undefined;
  log: Logger;
  /**
   * CLOCK_MONOTONIC in µs, for RELOADING=1's MONOTONIC_USEC (systemd 253+ matches it against its
   * own clock, so it cannot come from the injected Clock, whose origin is arbitrary). Default:
   * process.hrtime, which is CLOCK_MONOTONIC on Linux.
   */
  monotonicUsec?: () => bigint;
}

export class NotifySocket implements Notifier {
  private readonly target: string | undefined;
  private readonly log: Logger;
  private readonly monotonicUsec: () => bigint;
  private sock: UnixDatagramSocket | undefined;
  private failing = false;
  private lost = 0;

  constructor(options: NotifySocketOptions) {
    this.log = options.log;
    this.monotonicUsec = options.monotonicUsec ?? (() => process.hrtime.bigint() / 1000n);
    const target = options.socket ?? '';
    if (target === '') {
      this.log.debug('systemd_notify_off', { reason: 'NOTIFY_SOCKET is not set; not run by a Type=notify unit' });
      return;
    }
    if (!target.startsWith('/') && !target.startsWith('@')) {
      // systemd 253+ may also name a vsock ("vsock:CID:PORT") for a VM's manager; not Kerb's case.
      this.log.warn('systemd_notify_off', { reason: `NOTIFY_SOCKET '${target}' is neither a path nor an '@' abstract name` });
      return;
    }
    try {
      this.sock = new UnixDatagramSocket();
      this.target = target;
    } catch (err) {
      this.log.error('systemd_notify_off', { socket: target, reason: describe(err) });
    }
  }

  static fromEnv(env: Record<string, string | undefined>, log: Logger): NotifySocket {
    return new NotifySocket({ socket: env.NOTIFY_SOCKET, log });
  }

  /** True when messages go somewhere (NOTIFY_SOCKET set and a socket open). */
  get enabled(): boolean {
    return this.sock !== undefined;
  }

  ready(status?: string): void { this.notify(status === undefined ? { READY: '1' } : { READY: '1', STATUS: status }); }
  watchdog(): void { this.notify({ WATCHDOG: '1' }); }
  /** Asks systemd to act now as if the watchdog had run out (WatchdogSignal, then Restart=). */
  watchdogTrigger(): void { this.notify({ WATCHDOG: 'trigger' }); }
  status(text: string): void { this.notify({ STATUS: text }); }
  stopping(status?: string): void { this.notify(status === undefined ? { STOPPING: '1' } : { STOPPING: '1', STATUS: status }); }
  /** Before re-reading the site file; send ready() when done (systemd waits for READY=1 again). */
  reloading(): void { this.notify({ RELOADING: '1', MONOTONIC_USEC: String(this.monotonicUsec()) }); }

  notify(fields: Record<string, string>): void {
    if (this.sock === undefined || this.target === undefined) return;
    const message = Object.entries(fields).map(([key, value]) => `${key}=${value.replace(/[\r\n]+/g, ' ')}`).join('\n');
    try {
      this.sock.sendTo(this.target, Buffer.from(message, 'utf8'));
      if (this.failing) this.log.info('systemd_notify_recovered', { socket: this.target, lost: this.lost });
      this.failing = false;
      this.lost = 0;
    } catch (err) {
      this.lost++;
      if (this.failing) return;
      this.failing = true;
      this.log.warn('systemd_notify_failed', { socket: this.target, reason: describe(err), note: 'logged once until a send succeeds' });
    }
  }

  close(): void {
    this.sock?.close();
    this.sock = undefined;
  }
}

function describe(err: unknown): string {
  if (err instanceof DatagramError) return err.message;
  return err instanceof Error ? err.message : String(err);
}
