/**
 * Watches a PIR motion sensor for the two ways it fails in the street:
 * - stuck high: high without a break for pirStuckHighS (a spider web, a failed output stage);
 * - silent: no edge at all for pirSilentS (a dead sensor, a cut wire).
 * Each raises one 'fault' event and stays raised until the next normal edge: the falling edge
 * for a stuck sensor, any edge for a silent one; that edge emits 'pir-recovered' (info).
 * Event values are seconds: for a fault, how long the condition had lasted when it was reported;
 * for a recovery, how long the fault had been raised.
 */
import type { Clock, TimerId } from '../hal/clock.js';
import type { Level } from '../hal/pins.js';
import type { LampConfig } from './config.js';
import type { Emit } from './types.js';

export type PirFault = 'none' | 'pir-stuck-high' | 'pir-silent';

export class PirWatch {
  private readonly clock: Clock;
  private readonly cfg: LampConfig;
  private readonly emit: Emit;
  private readonly pin: string;
  private readonly onFault: () => void;
  private readonly stuckFired: () => void;
  private readonly silentFired: () => void;
  private stuckTimer: TimerId | undefined = undefined;
  private silentTimer: TimerId | undefined = undefined;
  private current: PirFault = 'none';
  private since = 0;

  /** `onFault` runs whenever fault() changes. */
  constructor(clock: Clock, cfg: LampConfig, emit: Emit, pin: string, onFault: () => void) {
    this.clock = clock;
    this.cfg = cfg;
    this.emit = emit;
    this.pin = pin;
    this.onFault = onFault;
    this.stuckFired = () => {
      this.stuckTimer = undefined;
      this.clearSilent();
      this.raise('pir-stuck-high', this.cfg.pirStuckHighS,
        'PIR on pin ' + this.pin + ' high without a break for ' + this.cfg.pirStuckHighS + ' s');
    };
    this.silentFired = () => {
      this.silentTimer = undefined;
      if (this.current !== 'none') return;
      this.raise('pir-silent', this.cfg.pirSilentS,
        'PIR on pin ' + this.pin + ' gave no edge for ' + this.cfg.pirSilentS + ' s');
    };
  }

  /** `level` is the sensor's level now: a sensor already high starts the stuck-high timer. */
  start(level: Level): void {
    this.current = 'none';
    this.restartSilent(0);
    if (level === 1) this.restartStuck(0);
  }

  stop(): void {
    this.clearStuck();
    this.clearSilent();
  }

  fault(): PirFault {
    return this.current;
  }

  /** Every debounced edge of the sensor, before the lamp acts on it. */
  edge(value: Level, time: number): void {
    // Both timers count from the edge itself, not from the end of its debounce.
    const late = Math.max(0, this.clock.now() - time);
    this.restartSilent(late);
    if (value === 1) this.restartStuck(late);
    else this.clearStuck();
    // A stuck sensor's next edge can only be its release; a silent one's is any edge.
    if (this.current === 'none') return;
    const lasted = Math.max(0, (time - this.since) / 1000);
    const was = this.current;
    this.current = 'none';
    this.emit({
      type: 'event', name: 'pir-recovered', severity: 'info', value: lasted, time,
      detail: 'PIR on pin ' + this.pin + ' gave a normal edge after ' + was,
    });
    this.onFault();
  }

  private raise(fault: PirFault, seconds: number, detail: string): void {
    this.current = fault;
    this.since = this.clock.now();
    this.emit({ type: 'event', name: fault, severity: 'fault', value: seconds, time: this.since, detail });
    this.onFault();
  }

  private restartStuck(lateMs: number): void {
    this.clearStuck();
    this.stuckTimer = this.clock.setTimeout(this.stuckFired, Math.max(0, this.cfg.pirStuckHighS * 1000 - lateMs));
  }

  private clearStuck(): void {
    if (this.stuckTimer !== undefined) this.clock.clearTimer(this.stuckTimer);
    this.stuckTimer = undefined;
  }

  private restartSilent(lateMs: number): void {
    this.clearSilent();
    this.silentTimer = this.clock.setTimeout(this.silentFired, Math.max(0, this.cfg.pirSilentS * 1000 - lateMs));
  }

  private clearSilent(): void {
    if (this.silentTimer !== undefined) this.clock.clearTimer(this.silentTimer);
    this.silentTimer = undefined;
  }
}
