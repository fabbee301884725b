/**
 * The motion part of a lamp's night: full level from the first motion, held holdS after the
 * last (the hold runs only once the PIR has gone low again), then a linear fade to base level
 * over fadeS in FADE_STEP_MS steps. The lamp decides whether motion counts (night, healthy
 * sensor) and what wins over it; this only keeps the phase and the level it implies.
 */
import { clampTo } from '../filters/clamp.js';
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
  private fadeStart = 0;

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

  /** The PIR went low at monotonic `edgeTime`: the hold counts from there. */
  release(edgeTime: number): void {
    if (this.current !== 'hold') return;
    this.clear();
    const late = this.clock.now() - edgeTime;
    this.holdTimer = this.clock.setTimeout(this.holdOver, Math.max(0, this.cfg.holdS * 1000 - late));
  }

  /** Back to idle (base level): day came, a fault was raised, or the controller stops. */
  reset(): void {
    this.clear();
    this.current = 'idle';
  }

  /** The level the motion phase asks for. */
  level(): number {
    if (this.current === 'hold') return this.cfg.fullLevel;
    if (this.current === 'idle') return this.cfg.baseLevel;
    const f = (this.clock.now() - this.fadeStart) / (this.cfg.fadeS * 1000);
    return this.cfg.fullLevel + (this.cfg.baseLevel - this.cfg.fullLevel) * clampTo(f, 0, 1);
  }

  private startFade(): void {
    this.holdTimer = undefined;
    this.fadeStart = this.clock.now();
    if (this.cfg.fadeS > 0) {
      this.current = 'fade';
      this.fadeTimer = this.clock.setInterval(this.fadeStep, FADE_STEP_MS);
    } else {
      this.current = 'idle';
    }
    this.onChange();
  }

  private step(): void {
    if (this.clock.now() - this.fadeStart >= this.cfg.fadeS * 1000) this.reset();
    this.onChange();
  }

  private clear(): void {
    if (this.holdTimer !== undefined) this.clock.clearTimer(this.holdTimer);
    if (this.fadeTimer !== undefined) this.clock.clearTimer(this.fadeTimer);
    this.holdTimer = undefined;
    this.fadeTimer = undefined;
  }
}
