/**
 * Parking space sensor. Every sampleS it reads either a magnetometer (a car's steel shifts the
 * field either way) or an ultrasonic distance to whatever is above the sensor (a car's underside
 * is closer than the open sky or a ceiling). The signal path, built in the constructor:
 *
 *   magnetometer: raw 0..1 -> calibrate (µT) ----------------------------.
 *   distance: echo -> cm; none, or beyond rangeCm, is taken as rangeCm ---+-> reading
 *   reading -> delta against the baseline -> car / free verdict (hysteresis)
 *           -> delayed on/off (confirmS) -> 'occupied' / 'free' -> heartbeat (heartbeatS)
 *   reading -> delta filter (releaseDelta / 2) -> `field` / `distance` gauge readings
 *
 * The baseline is an exponential moving average of the reading, tracked only while the space
 * is free and no change is being confirmed (frozen while occupied):
 *   delta = |reading - baseline| (magnetometer) or baseline - reading (distance)
 * delta >= detectDelta suggests a car, delta < releaseDelta suggests free (between: no change).
 * An echo from open sky is stray: capping it at rangeCm keeps the baseline steady.
 *
 * Relearning. The first reading seeds the baseline, so a space taken when the node starts
 * learns the car as "free", and the car's departure then looks like an arrival; with the
 * baseline frozen while occupied, the space would stay "occupied" for ever. So while occupied,
 * a reading that stays within releaseDelta of itself for relearnS becomes the new free
 * baseline, and 'free' goes out with a 'baseline-relearned' info event. The trade-off: a car
 * parked longer than relearnS whose reading does not change at all is reported free from then
 * until it leaves (its departure then looks like an arrival and is relearnt likewise).
 */
import { Calibrate } from '../filters/calibrate.js';
import { DelayedOnOff } from '../filters/delayed-on-off.js';
import { Delta } from '../filters/delta.js';
import { Heartbeat } from '../filters/heartbeat.js';
import { ExponentialMovingAverage } from '../filters/moving-average.js';
import type { Clock, TimerId } from '../hal/clock.js';
import type { AnalogIn, PulseIn } from '../hal/pins.js';
import { done, refuse, unknownCommand } from './command-args.js';
import type { ParkingConfig } from './config.js';
import type { Command, CommandResult, Controller, ControllerContext, MetricSpec, StateValue } from './types.js';
import { DEFAULT_AIR_C, echoToCm, pulseOptions } from './ultrasonic.js';

export const PARKING_STATES = ['free', 'occupied'];

export const PARKING_METRICS: MetricSpec[] = [
  { name: 'occupied', kind: 'state', unit: '', scale: 0, states: PARKING_STATES },
  { name: 'field', kind: 'gauge', unit: '\u00b5T', scale: 1 },
  { name: 'distance', kind: 'gauge', unit: 'cm', scale: 0 },
];

export class ParkingController implements Controller {
  readonly kind = 'parking';
  private readonly ctx: ControllerContext<ParkingConfig>;
  private readonly clock: Clock;
  private readonly cfg: ParkingConfig;
  private readonly calibrate: Calibrate;
  private readonly gauge: Delta;
  private readonly baseline: ExponentialMovingAverage;
  private readonly confirm: DelayedOnOff;
  private readonly heartbeat: Heartbeat;
  private readonly sampleNow: () => void;
  private readonly onEcho: (echoUs: number) => void;
  private field: AnalogIn | undefined = undefined;
  private pulse: PulseIn | undefined = undefined;
  private timer: TimerId | undefined = undefined;
  private running = false;
  private measuring = false;
  private candidate: 0 | 1 = 0;
  private last = NaN;
  private lastDelta = 0;
  private samples = 0;
  private noEcho = 0;
  /** While occupied: the reading a steady stretch began with, and when (NaN: none yet). */
  private steadyReading = NaN;
  private steadySince = NaN;
  private relearned = 0;

  constructor(ctx: ControllerContext<ParkingConfig>) {
    this.ctx = ctx;
    this.clock = ctx.clock;
    this.cfg = ctx.config;
    const c = ctx.config;
    this.calibrate = new Calibrate(c.calibration);
    // The gauge readings are diagnostics (the occupancy is the product) and a free space reads
    // the same for hours: sending every sample would put sampleS-spaced messages on the node's
    // link all day. A change of less than half the free band (releaseDelta) cannot move a
    // verdict, so only changes of at least that go out; a car's arrival or departure, and drift
    // in steps, still do.
    this.gauge = new Delta(c.releaseDelta / 2);
    this.baseline = new ExponentialMovingAverage(c.baselineAlpha);
    const confirmMs = c.confirmS * 1000;
    this.confirm = new DelayedOnOff(ctx.clock, confirmMs, confirmMs, 0, (v, t) => this.changed(v, t));
    this.heartbeat = new Heartbeat(ctx.clock, c.heartbeatS * 1000, (v, t) => this.report(v, t));
    this.sampleNow = () => this.sample();
    this.onEcho = (echoUs: number) => this.echoed(echoUs);
  }

  start(): void {
    if (this.running) return;
    const pins = this.ctx.pins;
    try {
      if (this.cfg.sensor === 'distance') this.pulse = this.ctx.hal.pulseIn(pulseOptions(pins.trigger, pins.echo));
      else this.field = this.ctx.hal.analogIn({ pin: pins.field });
      this.running = true;
      this.timer = this.clock.setInterval(this.sampleNow, this.cfg.sampleS * 1000);
      const now = this.clock.now();
      this.report(this.confirm.output(), now);
      this.heartbeat.push(this.confirm.output(), now);
      this.sample();
    } catch (err) {
      this.stop();
      throw err;
    }
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.confirm.stop();
    this.heartbeat.stop();
    if (this.field !== undefined) this.field.close();
    if (this.pulse !== undefined) this.pulse.close();
    this.field = undefined;
    this.pulse = undefined;
    this.measuring = false;
  }

  command(cmd: Command): CommandResult {
    if (cmd.name !== 'recalibrate') return unknownCommand(cmd, ['recalibrate']);
    if (this.confirm.output() === 1) return refuse('E_CMD_STATE', 'recalibrate refused: the space is occupied');
    if (this.last !== this.last) return refuse('E_CMD_STATE', 'recalibrate refused: no reading yet');
    this.baseline.set(this.last);
    this.candidate = 0;
    this.confirm.reset(0);
    return done('baseline set to ' + this.last);
  }

  state(): { [key: string]: StateValue } {
    return {
      occupied: this.confirm.output() === 1,
      state: PARKING_STATES[this.confirm.output()],
      confirming: this.confirm.pending(),
      sensor: this.cfg.sensor,
      reading: this.last,
      baseline: this.baseline.value(),
      delta: this.lastDelta,
      samples: this.samples,
      noEcho: this.noEcho,
      relearned: this.relearned,
      running: this.running,
    };
  }

  private sample(): void {
    if (!this.running) return;
    if (this.field !== undefined) {
      const now = this.clock.now();
      const uT = this.calibrate.push(this.field.read(), now);
      this.gaugeReading('field', uT, now);
      this.judge(uT, now);
    } else if (this.pulse !== undefined && !this.measuring) {
      this.measuring = true;
      this.pulse.measure(this.onEcho);
    }
  }

  private echoed(echoUs: number): void {
    this.measuring = false;
    if (!this.running) return;
    const now = this.clock.now();
    let cm = echoToCm(echoUs, DEFAULT_AIR_C);
    if (cm !== cm || cm > this.cfg.rangeCm) {
      // Nothing within range: open sky above an empty space, whatever stray echo came back.
      // Not a measurement, so no gauge reading; the next echo in range goes out whatever it is.
      this.noEcho++;
      this.gauge.reset();
      cm = this.cfg.rangeCm;
    } else {
      this.gaugeReading('distance', cm, now);
    }
    this.judge(cm, now);
  }

  private gaugeReading(metric: string, value: number, now: number): void {
    const v = this.gauge.push(value, now);
    if (v !== undefined) this.ctx.emit({ type: 'reading', metric, value: v, time: now });
  }

  private judge(reading: number, now: number): void {
    this.samples++;
    this.last = reading;
    if (this.baseline.value() !== this.baseline.value()) this.baseline.set(reading);
    const base = this.baseline.value();
    const delta = this.cfg.sensor === 'distance' ? base - reading : Math.abs(reading - base);
    this.lastDelta = delta;
    if (delta >= this.cfg.detectDelta) this.candidate = 1;
    else if (delta < this.cfg.releaseDelta) this.candidate = 0;
    this.confirm.push(this.candidate, now);
    if (this.confirm.output() === 1) {
      this.watchSteady(reading, now);
      return;
    }
    this.steadySince = NaN;
    if (!this.confirm.pending()) this.baseline.push(reading, now);
  }

  /** While occupied: relearn the baseline once the reading has not changed for relearnS. */
  private watchSteady(reading: number, now: number): void {
    if (this.steadySince !== this.steadySince || Math.abs(reading - this.steadyReading) > this.cfg.releaseDelta) {
      this.steadyReading = reading;
      this.steadySince = now;
      return;
    }
    if (now - this.steadySince >= this.cfg.relearnS * 1000) this.relearn(reading, now);
  }

  private relearn(reading: number, now: number): void {
    const hours = Math.round((now - this.steadySince) / 360000) / 10;
    const was = this.baseline.value();
    this.baseline.set(reading);
    this.candidate = 0;
    this.confirm.reset(0);
    this.steadySince = NaN;
    this.relearned++;
    this.lastDelta = 0;
    this.ctx.emit({
      type: 'event', name: 'baseline-relearned', severity: 'info', value: reading, time: now,
      detail: 'baseline ' + was.toFixed(1) + ' replaced by ' + reading.toFixed(1) + ': occupied with no change beyond ' +
        this.cfg.releaseDelta + ' for ' + hours + ' h',
    });
    this.ctx.emit({
      type: 'event', name: 'free', severity: 'info', value: 0, time: now,
      detail: 'baseline relearnt after ' + hours + ' h without change',
    });
    this.report(0, now);
    this.heartbeat.push(0, now);
  }

  private changed(v: number, time: number): void {
    const name = v === 1 ? 'occupied' : 'free';
    this.ctx.emit({
      type: 'event', name, severity: 'info', value: v, time,
      detail: 'delta ' + this.lastDelta + ' against baseline ' + this.baseline.value() + ' held ' + this.cfg.confirmS + ' s',
    });
    this.report(v, time);
    this.heartbeat.push(v, time);
  }

  private report(v: number, time: number): void {
    this.ctx.emit({ type: 'reading', metric: 'occupied', value: v, time });
  }
}
