/**
 * The state of the mock's pins: who holds each pin, the level on every digital pin, what the
 * analog pins and ultrasonic echoes answer, and the PWM history. Resources (mock-digital-in.ts,
 * mock-outputs.ts, ...) and the test controls on MockHal both work through this board, so a
 * level driven by a test and a level written by a controller live in one place.
 */
import { halError } from '../../firmware/hal/errors.js';
import type { Level, PinId } from '../../firmware/hal/pins.js';

export type ResourceKind = 'digitalIn' | 'digitalOut' | 'pwm' | 'analogIn' | 'pulseIn';

/** An open resource as the board sees it: what it is, and (for inputs) how it hears changes. */
export interface PinHolder {
  readonly kind: ResourceKind;
  /** Digital inputs are told of every raw level change on their pin. */
  levelChanged?(level: Level): void;
}

/** What analogIn.read() returns: a fixed raw value or a function of monotonic time. */
export type AnalogSource = number | ((nowMs: number) => number);
/** Consulted at trigger time: the echo width in µs, or -1 for no echo. */
export type EchoResponder = (nowMs: number) => number;

export interface PwmWrite {
  time: number;
  duty: number;
}

/** The PWM history keeps this many writes per pin, so a week-long run cannot exhaust memory. */
export const PWM_LOG_LIMIT = 10000;

export class PinBoard {
  private readonly holders = new Map<PinId, PinHolder>();
  private readonly levels = new Map<PinId, Level>();
  private readonly analog = new Map<PinId, AnalogSource>();
  private readonly echoes = new Map<PinId, EchoResponder>();
  private readonly duties = new Map<PinId, number>();
  private readonly pwmLog = new Map<PinId, PwmWrite[]>();

  /** Takes every pin for `holder`, or none of them: a failed open leaves the board untouched. */
  claim(holder: PinHolder, pins: PinId[]): void {
    for (const pin of pins) {
      const other = this.holders.get(pin);
      if (other !== undefined) {
        throw halError('E_HAL_PIN_IN_USE', pin, `pin ${pin} is already held by an open ${other.kind}`);
      }
    }
    for (const pin of pins) this.holders.set(pin, holder);
  }

  release(holder: PinHolder, pins: PinId[]): void {
    for (const pin of pins) {
      if (this.holders.get(pin) === holder) this.holders.delete(pin);
    }
  }

  holder(pin: PinId): PinHolder | undefined {
    return this.holders.get(pin);
  }

  /** A pull resistor sets the level of a pin nothing drives; nobody is told, nothing changed. */
  pull(pin: PinId, level: Level): void {
    if (!this.levels.has(pin)) this.levels.set(pin, level);
  }

  level(pin: PinId): Level {
    return this.levels.get(pin) ?? 0;
  }

  /** Sets a pin's level and tells the digital input holding it, if the level changed. */
  drive(pin: PinId, level: Level): void {
    const before = this.level(pin);
    this.levels.set(pin, level);
    if (before === level) return;
    const holder = this.holders.get(pin);
    if (holder?.levelChanged !== undefined) holder.levelChanged(level);
  }

  setAnalog(pin: PinId, source: AnalogSource): void {
    this.analog.set(pin, source);
  }

  /** The converter's view: unset reads 0, everything is clamped to 0..1 (NaN reads 0). */
  readAnalog(pin: PinId, nowMs: number): number {
    const source = this.analog.get(pin);
    if (source === undefined) return 0;
    const raw = typeof source === 'function' ? source(nowMs) : source;
    if (!(raw > 0)) return 0;
    return raw > 1 ? 1 : raw;
  }

  setEcho(pin: PinId, responder: EchoResponder): void {
    this.echoes.set(pin, responder);
  }

  echo(pin: PinId): EchoResponder | undefined {
    return this.echoes.get(pin);
  }

  recordDuty(pin: PinId, time: number, duty: number): void {
    this.duties.set(pin, duty);
    let log = this.pwmLog.get(pin);
    if (log === undefined) {
      log = [];
      this.pwmLog.set(pin, log);
    }
    log.push({ time, duty });
    // Trim in chunks rather than shifting on every write: amortised O(1) per write.
    if (log.length >= PWM_LOG_LIMIT * 1.5) log.splice(0, log.length - PWM_LOG_LIMIT);
  }

  duty(pin: PinId): number {
    return this.duties.get(pin) ?? 0;
  }

  pwmWrites(pin: PinId): PwmWrite[] {
    const log = this.pwmLog.get(pin) ?? [];
    return log.slice(-PWM_LOG_LIMIT).map((w) => ({ time: w.time, duty: w.duty }));
  }
}
