/**
 * The motion part of a lamp's night. Full level from the first motion; once the PIR has gone
 * low again (the last motion), the lamp is back at base level holdS later: full level for
 * holdS - fadeS, then a linear fade to base level over the last fadeS, in FADE_STEP_MS steps
 * (the last step lands exactly on the end). Motion at any point starts it all again. The lamp
 * decides whether motion counts (night, healthy sensor) and what wins over it; this only keeps
 * the phase and the level it implies. Profiles guarantee fadeS <= holdS.
 */
import type { Clock, TimerId } from '../hal/clock.js';
import type { LampConfig } from './config.js';

export type MotionPhase = 'idle' | 'hold' | 'fade';

export const FADE_STEP_MS = 100;

export class MotionLight {
  private readonly clock: Clock;
  private readonly cfg: LampConfig;
  private readonly onChange: () => void;
  private readonly holdOver: () => void;
  private readonly fadeStep: () => void;
  private current: MotionPhase = 'idle';
  private holdTimer: TimerId | undefined = undefined;
  private fadeTimer: TimerId | undefined = undefined;
  /** Monotonic ms at which the lamp is back at base level: the last motion + holdS. */
  private fadeEnd = 0;

  /** `onChange` runs when the hold ends and on every fade step (the level moves). */
  constructor(clock: Clock, cfg: LampConfig, onChange: () => void) {
    this.clock = clock;
    this.cfg = cfg;
    this.onChange = onChange;
    this.holdOver = () => this.startFade();
    this.fadeStep = () => this.step();
  }

  phase(): MotionPhase {
    return this.current;
  }

  /** Full level now, and no hold running out while the PIR stays high. */
  motion(): void {
    this.reset();
    this.current = 'hold';
  }

  /** The PIR went low at monotonic `edgeTime` (the last motion): holdS counts from there. */
  release(edgeTime: number): void {
    if (this.current !== 'hold') return;
    this.clear();
    this.fadeEnd = edgeTime + this.cfg.holdS * 1000;
    const fadeStart = this.fadeEnd - this.fadeMs();
    const wait = fadeStart - this.clock.now();
    this.holdTimer = this.clock.setTimeout(this.holdOver, wait > 0 ? wait : 0);
  }

  /** Back to idle (base level): day came, a fault was raised, or the controller stops. */
  reset(): void {
    this.clear();
    this.current = 'idle';
  }

  /** The level the motion phase asks for. */
  level(): number {
    const c = this.cfg;
    if (this.current === 'hold') return c.fullLevel;
    if (this.current === 'idle') return c.baseLevel;
    const ms = this.fadeEnd - this.clock.now();
    if (ms <= 0) return c.baseLevel;
    // The part of the fade still to go: 1 at its start, 0 at its end.
    const left = ms / this.fadeMs();
    if (left >= 1) return c.fullLevel;
    return c.baseLevel + (c.fullLevel - c.baseLevel) * left;
  }

  private fadeMs(): number {
    return this.cfg.fadeS * 1000;
  }

  private startFade(): void {
    this.holdTimer = undefined;
    this.current = 'fade';
    this.step();
  }

  /** One fade step: the next one is due FADE_STEP_MS later, or at the end if that is sooner. */
  private step(): void {
    this.fadeTimer = undefined;
    const left = this.fadeEnd - this.clock.now();
    if (left <= 0) this.current = 'idle';
    else this.fadeTimer = this.clock.setTimeout(this.fadeStep, left < FADE_STEP_MS ? left : FADE_STEP_MS);
    this.onChange();
  }

  private clear(): void {
    if (this.holdTimer !== undefined) this.clock.clearTimer(this.holdTimer);
    if (this.fadeTimer !== undefined) this.clock.clearTimer(this.fadeTimer);
    this.holdTimer = undefined;
    this.fadeTimer = undefined;
  }
}
