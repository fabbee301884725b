/**
 * The board's hardware watchdog, per E.enableWatchdog(timeout, isAuto):
 *
 *   'off' ──enable(t, auto)──▶ 'auto'    kicked by the idle loop: bites `t` after guest code
 *                                         stopped returning (the fake's CPU budget ran out)
 *         ──enable(t, false)─▶ 'manual'  bites `t` seconds (virtual) after the last kick()
 *
 * Once on it cannot be switched off, and it keeps running through a soft reset (reset(),
 * load(), a flash upload); only a hardware reset (its own bite, E.reboot(), power) stops it.
 * A board without one (ESP8266) accepts the calls and does nothing, as Espruino there does.
 */
import type { TimerId } from '../../../firmware/hal/clock.js';
import type { VirtualClock } from '../virtual-clock.js';

export type WatchdogState = 'off' | 'auto' | 'manual';

export class Watchdog {
  private mode: WatchdogState = 'off';
  private timeoutMs = 0;
  private timer: TimerId | undefined;

  constructor(
    private readonly clock: VirtualClock,
    private readonly present: boolean,
    private readonly bite: () => void,
  ) {}

  state(): WatchdogState {
    return this.mode;
  }

  enable(timeoutS: number, auto: boolean): void {
    if (!this.present) return;
    this.timeoutMs = timeoutS * 1000;
    this.mode = auto ? 'auto' : 'manual';
    this.arm();
  }

  kick(): void {
    if (this.mode === 'manual') this.arm();
  }

  /**
   * Guest code never returned to the event loop. In auto mode the idle loop stops kicking, so
   * the watchdog bites `timeout` after now; in manual mode nothing kicks any more and the timer
   * armed by the last kick bites.
   */
  stalled(): void {
    if (this.mode !== 'auto' || this.timer !== undefined) return;
    this.timer = this.clock.setTimeout(() => this.fire(), this.timeoutMs);
  }

  /** Hardware reset: the watchdog is off again until the next enable(). */
  off(): void {
    this.disarm();
    this.mode = 'off';
  }

  private arm(): void {
    this.disarm();
    if (this.mode === 'manual') this.timer = this.clock.setTimeout(() => this.fire(), this.timeoutMs);
  }

  private disarm(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  private fire(): void {
    this.disarm();
    this.bite();
  }
}
