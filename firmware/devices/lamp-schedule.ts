/**
 * Night or day for a lamp, re-checked every schedule.checkS:
 * - 'sun': night is before sunrise + dawnOffsetMin or from sunset + duskOffsetMin on, at the
 *   device's location (sun.ts). Polar night is night all day, polar day is day all day.
 * - 'light': the light sensor, read at each check, through a chain of filters built in the
 *   constructor:
 *     reading -> moving average (LIGHT_AVERAGE_CHECKS) -> hysteresis (daylight above
 *     lightOffAbove, dark below lightOnBelow, in between the last verdict stands)
 *     -> delayed on/off (lightDelayS) -> day / night
 *   The average keeps one bright check (a passing car's headlights on the sensor at dusk) from
 *   restarting the wait for night; the delay keeps a cloud or a truck's shadow from switching.
 * Without a trusted wall clock the sun cannot be used: the light sensor stands in if there is
 * one, otherwise it is night (lamps on is the safe side). The same holds for a 'light' schedule
 * without a light sensor. basis() says which rule is in force.
 * setOffsets() moves dusk and dawn (an operator's schedule command) until the next start().
 */
import { DelayedOnOff } from '../filters/delayed-on-off.js';
import { chain, type Filter } from '../filters/filter.js';
import { Hysteresis } from '../filters/hysteresis.js';
import { SimpleMovingAverage } from '../filters/moving-average.js';
import type { Clock, TimerId } from '../hal/clock.js';
import type { AnalogIn } from '../hal/pins.js';
import type { LampSchedule } from './config.js';
import { sunTimes } from './sun.js';
import type { Location } from './types.js';

export type ScheduleBasis = 'sun' | 'light' | 'assumed-night';

/** Light readings are averaged over this many checks (the newest included). */
export const LIGHT_AVERAGE_CHECKS = 3;

export class NightSchedule {
  private readonly clock: Clock;
  private readonly cfg: LampSchedule;
  private readonly location: Location;
  private readonly onChange: () => void;
  private readonly lightAverage: SimpleMovingAverage;
  /** 1 = daylight, 0 = dark: the thresholds' verdict on the averaged reading. */
  private readonly daylight: Hysteresis;
  /** The daylight verdict once it has held lightDelayS; its output callback sets day or night. */
  private readonly lightDelay: DelayedOnOff;
  private readonly lightPath: Filter;
  private readonly check: () => void;
  private light: AnalogIn | undefined = undefined;
  private timer: TimerId | undefined = undefined;
  private night = true;
  private current: ScheduleBasis = 'assumed-night';
  private duskMin: number;
  private dawnMin: number;

  /** `onChange` runs when night turns to day or back (not on start()). */
  constructor(clock: Clock, cfg: LampSchedule, location: Location, onChange: () => void) {
    this.clock = clock;
    this.cfg = cfg;
    this.location = location;
    this.onChange = onChange;
    this.duskMin = cfg.duskOffsetMin;
    this.dawnMin = cfg.dawnOffsetMin;
    const delayMs = cfg.lightDelayS * 1000;
    this.lightAverage = new SimpleMovingAverage(LIGHT_AVERAGE_CHECKS);
    this.daylight = new Hysteresis(cfg.lightOnBelow, cfg.lightOffAbove, 0);
    this.lightDelay = new DelayedOnOff(clock, delayMs, delayMs, 0, (v) => this.set(v === 0));
    this.lightPath = chain([this.lightAverage, this.daylight, this.lightDelay]);
    this.check = () => this.evaluate();
  }

  /** Decides at once (without onChange) and starts the periodic check. */
  start(light: AnalogIn | undefined): void {
    this.light = light;
    this.duskMin = this.cfg.duskOffsetMin;
    this.dawnMin = this.cfg.dawnOffsetMin;
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

  /** New dusk and dawn offsets, minutes (NaN keeps one); re-evaluates at once. */
  setOffsets(duskMin: number, dawnMin: number): void {
    if (!isNaN(duskMin)) this.duskMin = duskMin;
    if (!isNaN(dawnMin)) this.dawnMin = dawnMin;
    this.evaluate();
  }

  offsets(): { duskMin: number; dawnMin: number } {
    return { duskMin: this.duskMin, dawnMin: this.dawnMin };
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
      const reading = (this.light as AnalogIn).read();
      const now = this.clock.now();
      if (was !== 'light') {
        // Start afresh from the sensor's verdict now (between the thresholds, the verdict in
        // force stands); the average and the delay apply to later changes.
        this.lightAverage.reset();
        this.daylight.reset(this.night ? 0 : 1);
        const average = this.lightAverage.push(reading, now);
        if (average !== undefined) this.daylight.push(average, now);
        this.lightDelay.reset(this.daylight.output());
        this.set(this.daylight.output() === 0);
      } else {
        this.lightPath.push(reading, now);
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
    return wall < s.sunrise + this.dawnMin * 60000 || wall >= s.sunset + this.duskMin * 60000;
  }

  private set(night: boolean): void {
    if (night === this.night) return;
    this.night = night;
    if (this.timer !== undefined) this.onChange();
  }
}
