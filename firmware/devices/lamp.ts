/**
 * Street lamp: dark by day; at night a base level, full level the moment the PIR sees motion,
 * and back at base level holdS after the last motion (full level for holdS - fadeS, then a
 * linear fade over fadeS; while the PIR stays high nothing runs out). A faulty PIR
 * (pir-watch.ts) puts the lamp on failSafeLevel at night. Commands: override (a level for a
 * while), emergency (full level, regardless of anything else, until switched off or its
 * duration ends), schedule (new dusk/dawn offsets until the next start).
 *
 * Priority, highest first: emergency > override > day > PIR fault > motion > base.
 * `level` readings go out when the mode changes and on jumps, not on every fade step: `level` is
 * a held value (metric kind 'level'), which the gateway weights by the time it was held.
 */
import type { Clock, TimerId } from '../hal/clock.js';
import type { AnalogIn, DigitalIn, EdgeEvent, PwmOut } from '../hal/pins.js';
import { Clamp } from '../filters/clamp.js';
import type { LampConfig } from './config.js';
import { done } from './command-args.js';
import { isCommandResult, parseLampCommand } from './lamp-commands.js';
import { MotionLight } from './lamp-motion.js';
import { NightSchedule } from './lamp-schedule.js';
import { PirWatch } from './pir-watch.js';
import type { Command, CommandResult, Controller, ControllerContext, MetricSpec, StateValue } from './types.js';

export type LampMode = 'day' | 'base' | 'full' | 'fade' | 'failsafe' | 'override' | 'emergency';
export const LAMP_MODES: LampMode[] = ['day', 'base', 'full', 'fade', 'failsafe', 'override', 'emergency'];

export const LAMP_METRICS: MetricSpec[] = [
  { name: 'level', kind: 'level', unit: '', scale: 3 },
  { name: 'motion', kind: 'count', unit: '', scale: 0 },
  { name: 'mode', kind: 'state', unit: '', scale: 0, states: LAMP_MODES },
];

export class LampController implements Controller {
  readonly kind = 'lamp';
  private readonly ctx: ControllerContext<LampConfig>;
  private readonly clock: Clock;
  private readonly cfg: LampConfig;
  private readonly schedule: NightSchedule;
  private readonly pir: PirWatch;
  private readonly motion: MotionLight;
  /** Whatever decides the level, the driver gets 0..1. */
  private readonly duty: Clamp;
  private readonly onEdge: (e: EdgeEvent) => void;
  private readonly overrideOver: () => void;
  private readonly emergencyOver: () => void;
  private pirIn: DigitalIn | undefined = undefined;
  private driver: PwmOut | undefined = undefined;
  private light: AnalogIn | undefined = undefined;
  private running = false;
  private overrideLevel = -1;
  private overrideTimer: TimerId | undefined = undefined;
  private emergency = false;
  private emergencyTimer: TimerId | undefined = undefined;
  private level = 0;
  private mode: LampMode | 'off' = 'off';
  private wantMode: LampMode = 'base';
  private motions = 0;

  constructor(ctx: ControllerContext<LampConfig>) {
    this.ctx = ctx;
    this.clock = ctx.clock;
    this.cfg = ctx.config;
    this.schedule = new NightSchedule(ctx.clock, ctx.config.schedule, ctx.location, () => this.dayNightChanged());
    this.pir = new PirWatch(ctx.clock, ctx.config, ctx.emit, ctx.pins.pir, () => this.faultChanged());
    this.motion = new MotionLight(ctx.clock, ctx.config, () => this.apply());
    this.duty = new Clamp(0, 1, 'saturate');
    this.onEdge = (e: EdgeEvent) => this.edge(e);
    this.overrideOver = () => this.endOverride();
    this.emergencyOver = () => this.endEmergency();
  }

  start(): void {
    if (this.running) return;
    const hal = this.ctx.hal;
    const pins = this.ctx.pins;
    try {
      if (pins.light !== undefined) this.light = hal.analogIn({ pin: pins.light });
      this.pirIn = hal.digitalIn({ pin: pins.pir, edge: 'both', debounceMs: this.cfg.pirDebounceMs, onEdge: this.onEdge });
      this.schedule.start(this.light);
      const initial = this.decide();
      this.driver = hal.pwm({ pin: pins.driver, frequency: this.cfg.pwmHz, initial });
      this.level = initial;
      this.running = true;
      this.pir.start(this.pirIn.read());
      this.apply();
    } catch (err) {
      this.stop();
      throw err;
    }
  }

  stop(): void {
    this.running = false;
    this.schedule.stop();
    this.pir.stop();
    this.motion.reset();
    this.clear(this.overrideTimer);
    this.clear(this.emergencyTimer);
    this.overrideTimer = undefined;
    this.emergencyTimer = undefined;
    if (this.pirIn !== undefined) this.pirIn.close();
    if (this.driver !== undefined) this.driver.close();
    if (this.light !== undefined) this.light.close();
    this.pirIn = undefined;
    this.driver = undefined;
    this.light = undefined;
    this.mode = 'off';
  }

  command(cmd: Command): CommandResult {
    const a = parseLampCommand(cmd);
    if (isCommandResult(a)) return a;
    if (a.action === 'override') {
      this.clear(this.overrideTimer);
      this.overrideLevel = a.level;
      this.overrideTimer = this.clock.setTimeout(this.overrideOver, a.durationMs);
      this.apply();
      return done('level ' + a.level + ' held for ' + a.durationMs / 1000 + ' s');
    }
    if (a.action === 'schedule') {
      this.schedule.setOffsets(a.duskOffsetMin === undefined ? NaN : a.duskOffsetMin, a.dawnOffsetMin === undefined ? NaN : a.dawnOffsetMin);
      const o = this.schedule.offsets();
      return done('schedule: on ' + o.duskMin + ' min after sunset, off ' + o.dawnMin + ' min after sunrise');
    }
    if (a.action === 'clear-override') {
      const had = this.overrideLevel >= 0;
      this.endOverride();
      return done(had ? 'override cleared' : 'no override was active');
    }
    this.clear(this.emergencyTimer);
    this.emergencyTimer = undefined;
    this.emergency = a.on;
    if (a.on && a.durationMs > 0) this.emergencyTimer = this.clock.setTimeout(this.emergencyOver, a.durationMs);
    this.apply();
    if (!a.on) return done('emergency off');
    return done(a.durationMs > 0 ? 'emergency on for ' + a.durationMs / 1000 + ' s' : 'emergency on until switched off');
  }

  state(): { [key: string]: StateValue } {
    const basis = this.schedule.basis();
    return {
      level: this.level,
      mode: this.mode,
      night: this.schedule.isNight(),
      faults: this.pir.fault(),
      scheduleSource: this.cfg.schedule.source,
      scheduleBasis: basis,
      duskOffsetMin: this.schedule.offsets().duskMin,
      dawnOffsetMin: this.schedule.offsets().dawnMin,
      scheduleNote: basis === 'assumed-night' ? 'no trusted wall clock or light sensor: assuming night' : '',
      wallSynced: this.clock.wallSynced(),
      motionCount: this.motions,
      overrideLevel: this.overrideLevel,
      emergency: this.emergency,
      motion: this.motion.phase(),
      running: this.running,
    };
  }

  private edge(e: EdgeEvent): void {
    if (!this.running) return;
    this.pir.edge(e.value, e.time);
    if (e.value === 1) {
      this.motions++;
      this.ctx.emit({ type: 'reading', metric: 'motion', value: 1, time: e.time });
      if (this.schedule.isNight() && this.pir.fault() === 'none') this.motion.motion();
    } else {
      this.motion.release(e.time);
    }
    this.apply();
  }

  private endOverride(): void {
    this.clear(this.overrideTimer);
    this.overrideTimer = undefined;
    this.overrideLevel = -1;
    this.apply();
  }

  private endEmergency(): void {
    this.emergencyTimer = undefined;
    this.emergency = false;
    this.apply();
  }

  private dayNightChanged(): void {
    this.motion.reset();
    this.apply();
  }

  private faultChanged(): void {
    if (this.pir.fault() !== 'none') this.motion.reset();
    this.apply();
  }

  /** The level the lamp should show now; sets wantMode. */
  private decide(): number {
    const c = this.cfg;
    if (this.emergency) return this.want('emergency', c.fullLevel);
    if (this.overrideLevel >= 0) return this.want('override', this.overrideLevel);
    if (!this.schedule.isNight()) return this.want('day', 0);
    if (this.pir.fault() !== 'none') return this.want('failsafe', c.failSafeLevel);
    const phase = this.motion.phase();
    return this.want(phase === 'hold' ? 'full' : phase === 'fade' ? 'fade' : 'base', this.motion.level());
  }

  private want(mode: LampMode, level: number): number {
    this.wantMode = mode;
    const duty = this.duty.push(level, 0);
    return duty === undefined ? 0 : duty;
  }

  /** Writes the decided level; emits mode and level readings at transitions. */
  private apply(): void {
    if (!this.running || this.driver === undefined) return;
    const level = this.decide();
    const mode = this.wantMode;
    const now = this.clock.now();
    if (level !== this.level) this.driver.write(level);
    const modeChanged = mode !== this.mode;
    if (modeChanged) {
      this.ctx.emit({ type: 'reading', metric: 'mode', value: LAMP_MODES.indexOf(mode), time: now });
    }
    if (modeChanged || (level !== this.level && mode !== 'fade')) {
      this.ctx.emit({ type: 'reading', metric: 'level', value: level, time: now });
    }
    this.level = level;
    this.mode = mode;
  }

  private clear(id: TimerId | undefined): void {
    if (id !== undefined) this.clock.clearTimer(id);
  }
}
