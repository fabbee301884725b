/**
 * A burst of ultrasonic measurements, BURST_GAP_MS apart (an HC-SR04 needs the pause so the
 * last ping's echoes have died away), collected into a typed array for a median. One burst at a
 * time; abort() discards the one running (its in-flight echo is awaited and ignored, so the
 * pulse timer is never asked twice at once).
 */
import type { Clock, TimerId } from '../hal/clock.js';
import type { PulseIn } from '../hal/pins.js';
import { BURST_GAP_MS } from './ultrasonic.js';

export type BurstState = 'idle' | 'measuring' | 'waiting' | 'aborting';

export class EchoBurst {
  private readonly clock: Clock;
  private readonly pulse: PulseIn;
  private readonly echoes: Float64Array;
  private readonly onDone: (echoes: Float64Array, count: number) => void;
  private readonly onEcho: (echoUs: number) => void;
  private readonly next: () => void;
  private count = 0;
  private timer: TimerId | undefined = undefined;
  private current: BurstState = 'idle';

  /** `onDone` gets the echo widths in µs (-1 for none) of a completed burst. */
  constructor(clock: Clock, pulse: PulseIn, size: number,
    onDone: (echoes: Float64Array, count: number) => void) {
    this.clock = clock;
    this.pulse = pulse;
    this.echoes = new Float64Array(size > 0 ? size : 1);
    this.onDone = onDone;
    this.onEcho = (echoUs: number) => this.echoed(echoUs);
    this.next = () => this.measure();
  }

  state(): BurstState {
    return this.current;
  }

  /** Starts a burst; false (and nothing happens) while one is still running or aborting. */
  start(): boolean {
    if (this.current !== 'idle') return false;
    this.count = 0;
    this.measure();
    return true;
  }

  abort(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    if (this.current === 'measuring') this.current = 'aborting';
    else this.current = 'idle';
  }

  private measure(): void {
    this.timer = undefined;
    this.current = 'measuring';
    this.pulse.measure(this.onEcho);
  }

  private echoed(echoUs: number): void {
    if (this.current !== 'measuring') {
      this.current = 'idle';
      return;
    }
    this.echoes[this.count] = echoUs;
    this.count++;
    if (this.count < this.echoes.length) {
      this.current = 'waiting';
      this.timer = this.clock.setTimeout(this.next, BURST_GAP_MS);
      return;
    }
    this.current = 'idle';
    this.onDone(this.echoes, this.count);
  }
}
