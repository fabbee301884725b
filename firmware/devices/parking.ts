/**
 * Parking space sensor. Every sampleS it reads either a magnetometer (µT = raw*gain+offset; a
 * car's steel shifts the field either way) or an ultrasonic distance to whatever is above the
 * sensor (a car's underside is closer than the open sky or a ceiling). The reading is compared
 * with a baseline, an exponential moving average tracked only while the space is free and no
 * change is being confirmed:
 *   delta = |reading - baseline| (magnetometer) or baseline - reading (distance)
 * delta >= detectDelta suggests a car, delta < releaseDelta suggests free (hysteresis between);
 * the suggestion must hold for confirmS (delayed on/off) before 'occupied' or 'free' goes out.
 * No echo, or one from beyond rangeCm, means nothing above the sensor: the reading is taken as
 * rangeCm, so stray echoes from open sky never move the baseline or suggest a car. The
 * `occupied` reading is repeated every heartbeatS.
 */
import { calibrate } from '../filters/calibrate.js';
import { DelayedOnOff } from '../filters/delayed-on-off.js';
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

  constructor(ctx: ControllerContext<ParkingConfig>) {
    this.ctx = ctx;
    this.clock = ctx.clock;
    this.cfg = ctx.config;
    this.baseline = new ExponentialMovingAverage(ctx.config.baselineAlpha);
    const confirmMs = ctx.config.confirmS * 1000;
    this.confirm = new DelayedOnOff(ctx.clock, confirmMs, confirmMs, 0, (v, t) => this.changed(v, t));
    this.heartbeat = new Heartbeat(ctx.clock, ctx.config.heartbeatS * 1000, (v, t) => this.report(v, t));
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
      running: this.running,
    };
  }

  private sample(): void {
    if (!this.running) return;
    if (this.field !== undefined) {
      const uT = calibrate(this.field.read(), this.cfg.calibration);
      this.ctx.emit({ type: 'reading', metric: 'field', value: uT, time: this.clock.now() });
      this.judge(uT);
    } else if (this.pulse !== undefined && !this.measuring) {
      this.measuring = true;
      this.pulse.measure(this.onEcho);
    }
  }

  private echoed(echoUs: number): void {
    this.measuring = false;
    if (!this.running) return;
    let cm = echoToCm(echoUs, DEFAULT_AIR_C);
    if (cm !== cm || cm > this.cfg.rangeCm) {
      // Nothing within range: open sky above an empty space, whatever stray echo came back.
      this.noEcho++;
      cm = this.cfg.rangeCm;
    } else {
      this.ctx.emit({ type: 'reading', metric: 'distance', value: cm, time: this.clock.now() });
    }
    this.judge(cm);
  }

  private judge(reading: number): void {
    this.samples++;
    this.last = reading;
    if (this.baseline.value() !== this.baseline.value()) this.baseline.set(reading);
    const base = this.baseline.value();
    const delta = this.cfg.sensor === 'distance' ? base - reading : Math.abs(reading - base);
    this.lastDelta = delta;
    if (delta >= this.cfg.detectDelta) this.candidate = 1;
    else if (delta < this.cfg.releaseDelta) this.candidate = 0;
    this.confirm.push(this.candidate, this.clock.now());
    if (this.confirm.output() === 0 && !this.confirm.pending()) this.baseline.push(reading, 0);
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
