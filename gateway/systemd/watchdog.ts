/**
 * The systemd watchdog, fed only while the gateway does its work. Peers ping on a timer whether
 * or not anything moves; then a gateway whose device loop has stopped, or whose uplink sits
 * online with a backlog it never sends, looks alive to systemd forever. Here each ping (every
 * half WATCHDOG_USEC) first asks two questions:
 *
 * 1. Does the device loop tick? The gateway's clock-driven loop calls tick(); the last tick must
 *    be no older than `tickLimitMs` (default: the watchdog interval).
 * 2. Does the uplink make progress or wait for a good reason? `sent` grew since the last look, or
 *    nothing is pending or in flight, or the link is not online (connecting or backing off: the
 *    spool holds the data). Online, with messages waiting and no `sent` growth for longer than
 *    `stallLimitMs`, is wedged.
 *
 * When either answer is no, the ping is withheld, the reason is logged once and put in STATUS=,
 * and systemd restarts the gateway when WatchdogSec runs out; pings resume if the gateway
 * recovers first. A stuck event loop withholds pings by itself: the ping timer runs on that loop,
 * and nothing else (no worker, no native thread) ever pings.
 */
import type { Clock, TimerId } from '../../firmware/hal/clock.js';
import type { Logger } from '../log/logger.js';
import { NotifySocket, type Notifier } from './notify-socket.js';

/** The part of the uplink's stats the watchdog reads (MqttUplink.stats() fits). */
export interface UplinkProgress {
  state: string;
  pending: number;
  inflight: number;
  sent: number;
}

export type WatchdogHealth =
  | { healthy: true }
  | { healthy: false; code: 'E_LOOP_NOT_TICKING' | 'E_LOOP_STALLED' | 'E_UPLINK_WEDGED' | 'E_UPLINK_UNREADABLE'; reason: string };

export interface WatchdogPingerOptions {
  clock: Clock;
  log: Logger;
  /** Where NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID are read; default process.env. */
  env?: Record<string, string | undefined>;
  /** This process's pid, compared with WATCHDOG_PID; default process.pid. */
  pid?: number;
  /** Sends the messages; default a NotifySocket on env.NOTIFY_SOCKET (closed by close()). */
  notifier?: Notifier;
  /** The uplink's counters; absent for a gateway without an uplink. */
  uplink?: () => UplinkProgress;
  /** Online with messages waiting and no progress for longer than this is wedged. Default 2 min. */
  stallLimitMs?: number;
  /** The device loop is stuck when its last tick is older than this. Default: the watchdog interval. */
  tickLimitMs?: number;
}

export const DEFAULT_STALL_LIMIT_MS = 120_000;
const RUNNING = 'running';

export class WatchdogPinger {
  /** The watchdog interval from WATCHDOG_USEC, in ms; undefined when systemd set none for us. */
  readonly intervalMs: number | undefined;
  private readonly o: WatchdogPingerOptions;
  private readonly notifier: Notifier;
  private readonly ownsNotifier: boolean;
  private readonly stallLimitMs: number;
  private timer: TimerId | undefined;
  private lastTick: number | undefined;
  private lastSent: number | undefined;
  private lastProgressAt = 0;
  private withheld: Exclude<WatchdogHealth, { healthy: true }> | undefined;
  private state: 'starting' | 'running' | 'stopping' = 'starting';

  constructor(options: WatchdogPingerOptions) {
    this.o = options;
    const env = options.env ?? process.env;
    this.ownsNotifier = options.notifier === undefined;
    this.notifier = options.notifier ?? NotifySocket.fromEnv(env, options.log);
    this.stallLimitMs = options.stallLimitMs ?? DEFAULT_STALL_LIMIT_MS;
    this.intervalMs = watchdogInterval(env, options.pid ?? process.pid, options.log);
  }

  /** The device loop is alive: call from the gateway's clock-driven loop (e.g. every second). */
  tick(): void {
    this.lastTick = this.o.clock.now();
  }

  /**
   * Start-up is done (devices and spool open; the backlog need not be drained): READY=1, and the
   * pings begin. Call again after a reload, which systemd ends with the next READY=1.
   */
  ready(status = RUNNING): void {
    if (this.state === 'stopping') return;
    this.notifier.notify({ READY: '1', STATUS: status });
    if (this.state === 'running') return;
    this.state = 'running';
    if (this.intervalMs !== undefined) {
      this.timer = this.o.clock.setInterval(() => this.ping(), Math.max(1, this.intervalMs / 2));
    }
  }

  /** The site file is being re-read (SIGHUP): RELOADING=1; pings go on. Follow with ready(). */
  reloading(): void {
    if (this.state === 'running') this.notifier.reloading();
  }

  /** Shutting down: STOPPING=1 and no more pings (systemd then allows TimeoutStopSec). */
  stopping(status = 'stopping'): void {
    if (this.state === 'stopping') return;
    this.state = 'stopping';
    this.stopTimer();
    this.notifier.notify({ STOPPING: '1', STATUS: status });
  }

  /** Stops the pings and closes the socket this pinger opened. */
  close(): void {
    this.stopTimer();
    if (this.ownsNotifier) this.notifier.close();
  }

  /** Would the next ping be sent? Also what the status page can show. */
  health(): WatchdogHealth {
    const now = this.o.clock.now();
    const tickLimit = this.o.tickLimitMs ?? this.intervalMs ?? Infinity;
    if (this.lastTick === undefined) return { healthy: false, code: 'E_LOOP_NOT_TICKING', reason: 'the device loop has not ticked since start' };
    const age = now - this.lastTick;
    if (age > tickLimit) return { healthy: false, code: 'E_LOOP_STALLED', reason: `the device loop last ticked ${seconds(age)} ago (limit ${seconds(tickLimit)})` };
    return this.uplinkHealth(now);
  }

  private uplinkHealth(now: number): WatchdogHealth {
    if (this.o.uplink === undefined) return { healthy: true };
    let s: UplinkProgress;
    try {
      s = this.o.uplink();
    } catch (err) {
      return { healthy: false, code: 'E_UPLINK_UNREADABLE', reason: `reading the uplink's stats threw: ${err instanceof Error ? err.message : String(err)}` };
    }
    // Any change of `sent` is progress; a smaller value is a new uplink (after a reload): a new baseline.
    const progressed = s.sent !== this.lastSent;
    const waitingLegitimately = s.pending + s.inflight === 0 || s.state !== 'online';
    this.lastSent = s.sent;
    if (progressed || waitingLegitimately) {
      this.lastProgressAt = now;
      return { healthy: true };
    }
    const stalled = now - this.lastProgressAt;
    if (stalled <= this.stallLimitMs) return { healthy: true };
    return {
      healthy: false, code: 'E_UPLINK_WEDGED',
      reason: `the uplink is online with ${s.pending} pending and ${s.inflight} in flight but sent nothing for ${seconds(stalled)} (limit ${seconds(this.stallLimitMs)})`,
    };
  }

  private ping(): void {
    const health = this.health();
    if (health.healthy) {
      if (this.withheld === undefined) {
        this.notifier.notify({ WATCHDOG: '1' });
        return;
      }
      this.o.log.info('watchdog_resumed', { after: this.withheld.code });
      this.withheld = undefined;
      this.notifier.notify({ WATCHDOG: '1', STATUS: RUNNING });
      return;
    }
    if (this.withheld?.code !== health.code) {
      this.o.log.warn('watchdog_withheld', { code: health.code, reason: health.reason, watchdogMs: this.intervalMs });
      this.notifier.notify({ STATUS: `watchdog withheld: ${health.reason}` });
    }
    this.withheld = health;
  }

  private stopTimer(): void {
    if (this.timer !== undefined) this.o.clock.clearTimer(this.timer);
    this.timer = undefined;
  }
}

/** WATCHDOG_USEC in ms when it is meant for this process, as sd_watchdog_enabled(3) decides. */
function watchdogInterval(env: Record<string, string | undefined>, pid: number, log: Logger): number | undefined {
  const usec = env.WATCHDOG_USEC;
  if (usec === undefined || usec === '') {
    log.debug('systemd_watchdog_off', { reason: 'WATCHDOG_USEC is not set; the unit has no WatchdogSec' });
    return undefined;
  }
  if (!/^[1-9][0-9]*$/.test(usec)) {
    log.warn('systemd_watchdog_off', { reason: `WATCHDOG_USEC '${usec}' is not a positive whole number of µs` });
    return undefined;
  }
  const forPid = env.WATCHDOG_PID;
  if (forPid !== undefined && forPid !== '' && Number(forPid) !== pid) {
    log.debug('systemd_watchdog_off', { reason: `WATCHDOG_PID names pid ${forPid}, this is pid ${pid} (an inherited environment)` });
    return undefined;
  }
  return Number(usec) / 1000;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
