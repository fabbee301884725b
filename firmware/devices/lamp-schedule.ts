/**
 * Night or day for a lamp, re-checked every schedule.checkS:
 * - 'sun': night is before sunrise + dawnOffsetMin or from sunset + duskOffsetMin on, at the
 *   device's location (sun.ts). Polar night is night all day, polar day is day all day.
 * - 'light': night once the light sensor stays below lightOnBelow for lightDelayS, day once it
 *   stays above lightOffAbove as long; in between the last verdict stands (hysteresis).
 * Without a trusted wall clock the sun cannot be used: the light sensor stands in if there is
 * one, otherwise it is night (lamps on is the safe side). The same holds for a 'light' schedule
 * without a light sensor. basis() says which rule is in force.
 */
import { DelayedOnOff } from '../filters/delayed-on-off.js';
import type { Clock, TimerId } from '../hal/clock.js';
import type { AnalogIn } from '../hal/pins.js';
import type { LampSchedule } from './config.js';
import { sunTimes } from './sun.js';
import type { Location } from './types.js';

export type ScheduleBasis = 'sun' | 'light' | 'assumed-night';

export class NightSchedule {
  private readonly clock: Clock;
  private readonly cfg: LampSchedule;
  private readonly location: Location;
  private readonly onChange: () => void;
  private readonly lightDelay: DelayedOnOff;
  private readonly check: () => void;
  private light: AnalogIn | undefined = undefined;
  private timer: TimerId | undefined = undefined;
  private night = true;
  private current: ScheduleBasis = 'assumed-night';
  /** Last light verdict from the thresholds alone: 1 = dark enough for night. */
  private lightCandidate: 0 | 1 = 1;

  /** `onChange` runs when night turns to day or back (not on start()). */
  constructor(clock: Clock, cfg: LampSchedule, location: Location, onChange: () => void) {
    this.clock = clock;
    this.cfg = cfg;
    this.location = location;
    this.onChange = onChange;
    const delayMs = cfg.lightDelayS * 1000;
    this.lightDelay = new DelayedOnOff(clock, delayMs, delayMs, 1, (v) => this.set(v === 1));
    this.check = () => this.evaluate();
  }

  /** Decides at once (without onChange) and starts the periodic check. */
  start(light: AnalogIn | undefined): void {
    this.light = light;
    this.current = 'assumed-night';
    this.night = true;
    this.evaluate();
    this.timer = this.clock.setInterval(this.check, this.cfg.checkS * 1000);
  }

  stop(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.lightDelay.stop();
    this.light = undefined;
  }

  isNight(): boolean {
    return this.night;
  }

  basis(): ScheduleBasis {
    return this.current;
  }

  /** Re-evaluates now; runs onChange if the verdict changes. */
  evaluate(): void {
    const basis = this.pickBasis();
    const was = this.current;
    this.current = basis;
    if (basis === 'sun') {
      this.set(this.sunSaysNight(this.clock.wallTime()));
    } else if (basis === 'light') {
      this.readLight();
      if (was !== 'light') {
        // Start from the sensor's verdict now; the delay applies to later changes.
        this.lightDelay.reset(this.lightCandidate);
        this.set(this.lightCandidate === 1);
      } else {
        this.lightDelay.push(this.lightCandidate, this.clock.now());
      }
    } else {
      this.set(true);
    }
    if (basis !== 'light') this.lightDelay.stop();
  }

  private pickBasis(): ScheduleBasis {
    if (this.cfg.source === 'sun' && this.clock.wallSynced()) return 'sun';
    if (this.light !== undefined) return 'light';
    return 'assumed-night';
  }

  private sunSaysNight(wall: number): boolean {
    const s = sunTimes(wall, this.location.latitude, this.location.longitude);
    if (s.polarNight) return true;
    if (s.polarDay) return false;
    return wall < s.sunrise + this.cfg.dawnOffsetMin * 60000 || wall >= s.sunset + this.cfg.duskOffsetMin * 60000;
  }

  private readLight(): void {
    const v = (this.light as AnalogIn).read();
    if (v < this.cfg.lightOnBelow) this.lightCandidate = 1;
    else if (v > this.cfg.lightOffAbove) this.lightCandidate = 0;
  }

  private set(night: boolean): void {
    if (night === this.night) return;
    this.night = night;
    if (this.timer !== undefined) this.onChange();
  }
}
