/**
 * The fake node's pins, held as MockHal resources so a test drives and observes a bundle's pins
 * with the same controls it uses for controllers hosted on the MockHal (hal.setLevel, setAnalog,
 * level, duty, pwmWrites). Espruino switches a pin's mode on use unless pinMode() fixed it:
 *
 *   digitalRead / setWatch  → input (a MockDigitalIn, every raw edge reported)
 *   digitalWrite / digitalPulse → output (MockDigitalOut)
 *   analogWrite             → PWM at the given frequency (MockPwm; a new frequency reopens it)
 *   analogRead              → analog input (MockAnalogIn)
 *
 * Switching closes the old resource and opens the new one, so a pin also held by something
 * else on the MockHal fails with E_HAL_PIN_IN_USE, which the guest sees as an exception. Levels
 * the node writes are reported as edges too (a watch on an output sees its own writes), always
 * from a clock timer. digitalPulse queues behind a pulse still running, like Espruino's timer.
 */
import type { AnalogIn, DigitalIn, DigitalOut, Level, PinId, Pull, PwmOut } from '../../../firmware/hal/pins.js';
import type { MockHal } from '../mock-hal.js';
import type { BootTimers } from './boot-timers.js';

export type EspruinoPinMode =
  | 'analog' | 'input' | 'input_pullup' | 'input_pulldown' | 'output' | 'opendrain' | 'opendrain_pullup'
  | 'af_output' | 'af_opendrain';

type Kind = 'in' | 'out' | 'pwm' | 'analog';

/** Carrier frequency of analogWrite without {freq} (Espruino falls back to the board default). */
export const DEFAULT_PWM_HZ = 1000;

interface PinState {
  kind: Kind;
  mode: EspruinoPinMode;
  resource: DigitalIn | DigitalOut | PwmOut | AnalogIn;
  /** PWM carrier, for kind 'pwm'. */
  frequency: number;
}

export interface PinDriverEvents {
  /** A level change on `pin` at monotonic `timeMs`; called from a clock timer. */
  edge(pin: PinId, level: Level, timeMs: number): void;
  /** A digitalPulse that drove `value` ended at monotonic `timeMs`; called from a clock timer. */
  pulseEnded(pin: PinId, value: Level, timeMs: number): void;
}

const MODES: Record<EspruinoPinMode, { kind: Kind; pull?: Pull }> = {
  analog: { kind: 'analog' },
  input: { kind: 'in', pull: 'none' },
  input_pullup: { kind: 'in', pull: 'up' },
  input_pulldown: { kind: 'in', pull: 'down' },
  output: { kind: 'out' },
  opendrain: { kind: 'out' },
  opendrain_pullup: { kind: 'out' },
  af_output: { kind: 'out' },
  af_opendrain: { kind: 'out' },
};

export class PinDriver {
  private readonly pins = new Map<PinId, PinState>();
  private readonly manual = new Set<PinId>();
  /** When the last queued digitalPulse on each pin ends (monotonic ms). */
  private readonly pulseEnds = new Map<PinId, number>();

  constructor(
    private readonly hal: MockHal,
    private readonly timers: BootTimers,
    private readonly events: PinDriverEvents,
    private readonly valid: (pin: PinId) => boolean,
  ) {}

  pinMode(pin: PinId, mode: string, automatic: boolean): void {
    this.check(pin);
    if (mode === 'auto') {
      this.manual.delete(pin);
      return;
    }
    const spec = MODES[mode as EspruinoPinMode];
    if (spec === undefined) throw new Error('Unknown pin mode');
    if (automatic) this.manual.delete(pin);
    else this.manual.add(pin);
    this.open(pin, mode as EspruinoPinMode, this.hal.level(pin));
  }

  getPinMode(pin: PinId): string {
    this.check(pin);
    return this.pins.get(pin)?.mode ?? 'input';
  }

  digitalRead(pin: PinId): Level {
    this.check(pin);
    const state = this.pins.get(pin);
    if (state?.kind !== 'in' && !this.manual.has(pin)) this.open(pin, 'input', 0);
    return this.hal.level(pin);
  }

  digitalWrite(pin: PinId, value: Level): void {
    this.check(pin);
    const state = this.pins.get(pin);
    // A pin fixed as an input only gets its output register set: nothing changes on the wire.
    if (state?.kind === 'in' && this.manual.has(pin)) return;
    this.drive(pin, value);
  }

  digitalPulse(pin: PinId, value: Level, ms: number): void {
    this.check(pin);
    if (!(ms > 0)) return; // 0 means "wait for the previous pulse": nothing to wait for in virtual time
    const now = this.timers.clock.now();
    const start = Math.max(now, this.pulseEnds.get(pin) ?? 0);
    const end = start + ms;
    this.pulseEnds.set(pin, end);
    const back: Level = value === 1 ? 0 : 1;
    if (start <= now) this.drive(pin, value);
    else this.timers.after(start - now, () => this.drive(pin, value));
    this.timers.after(end - now, () => {
      this.drive(pin, back);
      this.events.pulseEnded(pin, value, end);
    });
  }

  analogRead(pin: PinId): number {
    this.check(pin);
    const state = this.pins.get(pin);
    const resource = state?.kind === 'analog' ? state.resource : this.open(pin, 'analog', 0).resource;
    return (resource as AnalogIn).read();
  }

  analogWrite(pin: PinId, value: number, frequency: number): void {
    this.check(pin);
    const duty = value > 0 ? (value < 1 ? value : 1) : 0;
    const hz = frequency > 0 ? frequency : DEFAULT_PWM_HZ;
    const state = this.pins.get(pin);
    if (state?.kind === 'pwm' && state.frequency === hz) (state.resource as PwmOut).write(duty);
    else this.open(pin, 'af_output', duty, hz);
  }

  /** Makes `pin` an input for a watch, unless pinMode() fixed its mode. */
  watch(pin: PinId): void {
    this.check(pin);
    if (this.pins.get(pin)?.kind !== 'in' && !this.manual.has(pin)) this.open(pin, 'input', 0);
  }

  /** Closes every resource (levels and duties stay on the board, as MockHal does on close). */
  closeAll(): void {
    for (const state of this.pins.values()) state.resource.close();
    this.pins.clear();
    this.manual.clear();
    this.pulseEnds.clear();
  }

  private drive(pin: PinId, value: Level): void {
    const state = this.pins.get(pin);
    const before = this.hal.level(pin);
    if (state?.kind === 'out') (state.resource as DigitalOut).write(value);
    else this.open(pin, 'output', value);
    if (before !== value) {
      const time = this.timers.clock.now();
      this.timers.after(0, () => this.events.edge(pin, value, time));
    }
  }

  /**
   * Replaces the pin's resource. `initial` is the output level or the PWM duty; a `pwmHz`
   * makes it PWM (analogWrite), otherwise the mode decides.
   */
  private open(pin: PinId, mode: EspruinoPinMode, initial: number, pwmHz?: number): PinState {
    const old = this.pins.get(pin);
    if (old !== undefined) {
      old.resource.close();
      this.pins.delete(pin);
    }
    const spec = MODES[mode];
    const kind: Kind = pwmHz !== undefined ? 'pwm' : spec.kind;
    const frequency = pwmHz ?? 0;
    let resource: PinState['resource'];
    if (kind === 'pwm') {
      resource = this.hal.pwm({ pin, frequency, initial });
    } else if (kind === 'in') {
      resource = this.hal.digitalIn({
        pin, edge: 'both', debounceMs: 0, pull: spec.pull ?? 'none',
        onEdge: (e) => this.events.edge(pin, e.value, e.time),
      });
    } else if (kind === 'out') {
      resource = this.hal.digitalOut({ pin, initial: initial === 1 ? 1 : 0 });
    } else {
      resource = this.hal.analogIn({ pin });
    }
    const state: PinState = { kind, mode, resource, frequency };
    this.pins.set(pin, state);
    return state;
  }

  private check(pin: PinId): void {
    if (!this.valid(pin)) throw new Error(`Invalid pin! (${pin})`);
  }
}
