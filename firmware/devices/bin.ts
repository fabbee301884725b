/**
 * Street bin: fill level from an ultrasonic sensor under the lid, lid switch, temperature.
 * - Temperature every tempSampleS: `temp` gauge; 'fire' alert via fire-watch.ts.
 * - Fill every sampleS (or on the 'measure' command): with the lid closed, a burst of
 *   config.samples echoes; widths become cm with the speed of sound at the latest temperature.
 *   A lid opening during the burst discards it. The signal paths, built in the constructor:
 *     temperature  raw 0..1 -> calibrate (°C) -> fire watch
 *     each echo    cm -> clamp (drop outside minCm..maxCm; no echo too) -> median over the burst
 *     distance     -> calibrate (emptyCm is 0 %, fullCm 100 %) -> clamp (saturate 0..100) = fill
 *   The median stands provided at least half the echoes were kept (else one 'sensor-range' fault
 *   until a good sample).
 * - 'full' and 'emptied' events from fill-alerts.ts; `lid` state readings on change.
 */
import { Calibrate } from '../filters/calibrate.js';
import { Clamp } from '../filters/clamp.js';
import { chain, type Filter } from '../filters/filter.js';
import { Median } from '../filters/median.js';
import type { Clock, TimerId } from '../hal/clock.js';
import type { AnalogIn, DigitalIn, EdgeEvent, PulseIn } from '../hal/pins.js';
import { done, refuse, unknownCommand } from './command-args.js';
import type { BinConfig, LinearCalibration } from './config.js';
import { EchoBurst } from './echo-burst.js';
import { FillAlerts } from './fill-alerts.js';
import { FireWatch } from './fire-watch.js';
import type { Command, CommandResult, Controller, ControllerContext, MetricSpec, StateValue } from './types.js';
import { DEFAULT_AIR_C, echoToCm, pulseOptions } from './ultrasonic.js';

export const BIN_METRICS: MetricSpec[] = [
  { name: 'fill', kind: 'gauge', unit: '%', scale: 0 },
  { name: 'distance', kind: 'gauge', unit: 'cm', scale: 1 },
  { name: 'temp', kind: 'gauge', unit: '\u00b0C', scale: 1 },
  { name: 'lid', kind: 'state', unit: '', scale: 0, states: ['closed', 'open'] },
];

export const LID_DEBOUNCE_MS = 50;

/** Distance (cm) to fill (%) as a linear map: emptyCm is 0 %, fullCm is 100 %. */
function fillScale(cfg: BinConfig): LinearCalibration {
  const span = cfg.emptyCm - cfg.fullCm;
  return { gain: -100 / span, offset: cfg.emptyCm * 100 / span };
}

export class BinController implements Controller {
  readonly kind = 'bin';
  private readonly ctx: ControllerContext<BinConfig>;
  private readonly clock: Clock;
  private readonly cfg: BinConfig;
  private readonly fire: FireWatch;
  private readonly alerts: FillAlerts;
  private readonly tempPath: Calibrate;
  private readonly burstMedian: Median;
  private readonly echoPath: Filter;
  private readonly fillPath: Filter;
  private readonly onLid: (e: EdgeEvent) => void;
  private readonly tempTick: () => void;
  private readonly fillTick: () => void;
  private pulse: PulseIn | undefined = undefined;
  private lid: DigitalIn | undefined = undefined;
  private temp: AnalogIn | undefined = undefined;
  private burst: EchoBurst | undefined = undefined;
  private tempTimer: TimerId | undefined = undefined;
  private fillTimer: TimerId | undefined = undefined;
  private running = false;
  private lidOpen = false;
  private airC = DEFAULT_AIR_C;
  private tempC = NaN;
  private distance = NaN;
  private fill = NaN;
  private rangeFault = false;
  private rejectedLid = 0;
  private rejectedRange = 0;

  constructor(ctx: ControllerContext<BinConfig>) {
    this.ctx = ctx;
    this.clock = ctx.clock;
    this.cfg = ctx.config;
    const c = ctx.config;
    // temperature: raw 0..1 -> °C -> fire watch
    this.tempPath = new Calibrate(c.temperature);
    this.fire = new FireWatch(c);
    // each echo of a burst (cm): out of range or none is dropped -> median of the burst so far
    this.burstMedian = new Median(c.samples > 0 ? c.samples : 1);
    this.echoPath = chain([new Clamp(c.minCm, c.maxCm, 'drop'), this.burstMedian]);
    // the burst's distance (cm) -> fill % -> 0..100 -> full / emptied alerts
    this.fillPath = chain([new Calibrate(fillScale(c)), new Clamp(0, 100, 'saturate')]);
    this.alerts = new FillAlerts(c, ctx.emit);
    this.onLid = (e: EdgeEvent) => this.lidEdge(e);
    this.tempTick = () => this.sampleTemp();
    this.fillTick = () => {
      this.sampleFill();
    };
  }

  start(): void {
    if (this.running) return;
    const hal = this.ctx.hal;
    const pins = this.ctx.pins;
    try {
      this.pulse = hal.pulseIn(pulseOptions(pins.trigger, pins.echo));
      this.burst = new EchoBurst(this.clock, this.pulse, this.cfg.samples, (e, n) => this.burstDone(e, n));
      this.lid = hal.digitalIn({ pin: pins.lid, edge: 'both', debounceMs: LID_DEBOUNCE_MS, onEdge: this.onLid });
      this.temp = hal.analogIn({ pin: pins.temp });
      this.running = true;
      this.lidOpen = this.lid.read() === 1;
      this.emit('lid', this.lidOpen ? 1 : 0);
      this.tempTimer = this.clock.setInterval(this.tempTick, this.cfg.tempSampleS * 1000);
      this.fillTimer = this.clock.setInterval(this.fillTick, this.cfg.sampleS * 1000);
      this.sampleTemp();
      this.sampleFill();
    } catch (err) {
      this.stop();
      throw err;
    }
  }

  stop(): void {
    this.running = false;
    if (this.tempTimer !== undefined) this.clock.clearTimer(this.tempTimer);
    if (this.fillTimer !== undefined) this.clock.clearTimer(this.fillTimer);
    this.tempTimer = undefined;
    this.fillTimer = undefined;
    if (this.burst !== undefined) this.burst.abort();
    if (this.pulse !== undefined) this.pulse.close();
    if (this.lid !== undefined) this.lid.close();
    if (this.temp !== undefined) this.temp.close();
    this.burst = undefined;
    this.pulse = undefined;
    this.lid = undefined;
    this.temp = undefined;
  }

  command(cmd: Command): CommandResult {
    if (cmd.name !== 'measure') return unknownCommand(cmd, ['measure']);
    if (!this.running) return refuse('E_CMD_STATE', 'measure refused: the device is stopped');
    if (this.isLidOpen()) return refuse('E_CMD_STATE', 'measure refused: the lid is open');
    if (!this.sampleFill()) return refuse('E_CMD_STATE', 'measure refused: a measurement is in progress');
    return done('measuring ' + this.cfg.samples + ' echoes');
  }

  state(): { [key: string]: StateValue } {
    return {
      fill: this.fill,
      distanceCm: this.distance,
      tempC: this.tempC,
      lid: this.lidOpen ? 'open' : 'closed',
      rejectedLid: this.rejectedLid,
      rejectedRange: this.rejectedRange,
      fullAlerted: this.alerts.alerted(),
      fireAlerted: !this.fire.isArmed(),
      faults: this.rangeFault ? 'sensor-range' : 'none',
      measuring: this.burst !== undefined && this.burst.state() !== 'idle',
      running: this.running,
    };
  }

  private emit(metric: string, value: number): void {
    this.ctx.emit({ type: 'reading', metric, value, time: this.clock.now() });
  }

  private event(name: string, severity: 'info' | 'alert' | 'fault', value: number, detail: string): void {
    this.ctx.emit({ type: 'event', name, severity, value, time: this.clock.now(), detail });
  }

  private isLidOpen(): boolean {
    return this.lidOpen || (this.lid !== undefined && this.lid.read() === 1);
  }

  private lidEdge(e: EdgeEvent): void {
    if (!this.running) return;
    const open = e.value === 1;
    if (open === this.lidOpen) return;
    this.lidOpen = open;
    this.emit('lid', open ? 1 : 0);
    if (open && this.burst !== undefined && this.burst.state() !== 'idle') {
      this.burst.abort();
      this.rejectedLid++;
    }
  }

  private sampleTemp(): void {
    if (!this.running || this.temp === undefined) return;
    const c = this.tempPath.push(this.temp.read(), this.clock.now());
    this.tempC = c;
    this.airC = c;
    this.emit('temp', c);
    if (this.fire.push(c)) {
      this.event('fire', 'alert', c, 'temperature ' + c.toFixed(1) + ' \u00b0C, rise ' + this.fire.rise().toFixed(1) +
        ' \u00b0C within ' + this.cfg.fireRiseWindowS + ' s');
    }
  }

  /** Starts a burst; false if the lid is open (counted) or a burst is running. */
  private sampleFill(): boolean {
    if (!this.running || this.burst === undefined) return false;
    if (this.isLidOpen()) {
      this.rejectedLid++;
      return false;
    }
    return this.burst.start();
  }

  private burstDone(echoes: Float64Array, count: number): void {
    if (!this.running) return;
    if (this.isLidOpen()) {
      this.rejectedLid++;
      return;
    }
    // The median restarts with each burst: it is over this burst's echoes only.
    this.burstMedian.reset();
    const now = this.clock.now();
    let kept = 0;
    let median = NaN;
    for (let i = 0; i < count; i++) {
      const m = this.echoPath.push(echoToCm(echoes[i], this.airC), now);
      if (m === undefined) continue;
      kept++;
      median = m;
    }
    if (kept * 2 < count) {
      this.rejectedRange++;
      if (!this.rangeFault) {
        this.rangeFault = true;
        this.event('sensor-range', 'fault', kept, kept + ' of ' + count + ' echoes within ' + this.cfg.minCm + '..' +
          this.cfg.maxCm + ' cm');
      }
      return;
    }
    this.rangeFault = false;
    this.distance = median;
    this.updateFill(now);
  }

  private updateFill(now: number): void {
    const fill = this.fillPath.push(this.distance, now);
    if (fill === undefined) return;
    this.fill = fill;
    this.emit('distance', this.distance);
    this.emit('fill', this.fill);
    this.alerts.push(this.fill, now);
  }
}
