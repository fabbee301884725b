/**
 * One contract suite per HAL interface runs against every backend (as MQTT.js runs one store
 * suite against every store): the mock, onoff with a fake Gpio, johnny-five on mock-firmata, and
 * real pins when KERB_GPIO_LOOPBACK names wired pairs. A backend takes part by providing a bench:
 * the HAL under test plus the outside world's side of its pins.
 *
 * Every bench runs its backend on a VirtualClock, so debounce, pulse timing and timeouts are
 * exact and fast; `settle` lets the backend's own asynchronous work (promises, event emitters)
 * finish between steps. Real-hardware benches use the system clock and wait for real.
 */
import type { Clock } from '../../firmware/hal/clock.js';
import type { Hal, Level, PinId } from '../../firmware/hal/pins.js';

/** What a backend supports: a suite for a capability it lacks is skipped with the reason. */
export interface BenchCapabilities {
  digitalIn: boolean;
  digitalOut: boolean;
  pwm: boolean;
  analogIn: boolean;
  pulseIn: boolean;
  /**
   * Optional: the backend honours `pull: 'up'` on a digital input (Firmata and Espruino do; the
   * Pi's sysfs GPIO that onoff drives cannot set pulls). Absent means no, and the pull-up suite
   * is skipped with that reason.
   */
  pullUp?: boolean;
}

export interface BackendBench {
  /** e.g. 'mock', 'onoff (fake Gpio)', 'johnny-five (mock-firmata)'. */
  readonly name: string;
  readonly hal: Hal;
  readonly clock: Clock;
  readonly capabilities: BenchCapabilities;
  /**
   * Optional precision, for backends that cannot be exact. Each defaults to 0: a bench on the
   * VirtualClock must match the mock exactly.
   * - dutyResolution: the smallest duty step the pin produces (1/255 on Firmata's 8-bit PWM);
   *   outputDuty may differ from the duty written by up to one step. read() is always exact.
   * - analogResolution: the converter's step (1/1023 for a 10-bit ADC); read() may differ from
   *   the value set by up to one step.
   * - timingToleranceMs: how far an edge's time or its delivery may stray (real pins only).
   * - echoToleranceUs: how far a measured echo width may stray (real pins only).
   */
  readonly dutyResolution?: number;
  readonly analogResolution?: number;
  readonly timingToleranceMs?: number;
  readonly echoToleranceUs?: number;
  /** Pins this bench offers for each use (a contract test picks from these, never hard-codes). */
  readonly pins: {
    digital: PinId[];
    pwm: PinId[];
    analog: PinId[];
    /** [trigger, echo] pairs for ultrasonic ping. */
    ping: Array<[PinId, PinId]>;
    /** A pin name the backend must refuse with E_HAL_OPTIONS or E_HAL_UNAVAILABLE. */
    invalid: PinId;
  };
  /** The outside world drives an input pin. */
  setInput(pin: PinId, level: Level): void;
  /** The level an output pin drives now, as the outside world sees it. */
  outputLevel(pin: PinId): Level;
  /** The duty cycle (0..1) a PWM pin drives now. */
  outputDuty(pin: PinId): number;
  /** The value (0..1 of full scale) an analog input reads from now on. */
  setAnalog(pin: PinId, value: number): void;
  /** How the echo pin answers the next pings: high-time in µs, or -1 for no echo. */
  setEcho(echo: PinId, echoUs: number): void;
  /** Moves time on by `ms` (virtual clock) and lets the backend's asynchronous work finish. */
  settle(ms: number): Promise<void>;
  /** Releases everything the bench and the backend hold. */
  close(): Promise<void>;
}

export interface BenchFactory {
  readonly name: string;
  /** Why the bench cannot run here (no hardware, no permission), or undefined when it can. */
  unavailable(): string | undefined;
  create(): Promise<BackendBench>;
}
