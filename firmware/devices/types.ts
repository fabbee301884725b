/**
 * What every controller emits and accepts. Controllers know nothing of MQTT, SQLite or files:
 * they emit typed readings and events through one callback and take commands as plain data.
 */
import type { Clock } from '../hal/clock.js';
import type { Hal, PinId } from '../hal/pins.js';

export type DeviceKind = 'lamp' | 'parking' | 'bin';

/** How the gateway aggregates a metric over a window. */
export type MetricKind =
  | 'gauge' // sampled: min/max/mean/last of the samples in the window
  | 'level' // held until the next reading (a lamp's level): min/max/time-weighted mean/last
  | 'state' // time spent in each value over the window
  | 'count'; // sum of increments over the window

export interface MetricSpec {
  name: string;
  kind: MetricKind;
  unit: string;
  /** Values go on the wire as integers: round(value * 10^scale). */
  scale: number;
  /** For 'state' metrics: the name of each numeric value (index = value), e.g. ['free', 'occupied']. */
  states?: string[];
}

export interface Reading {
  type: 'reading';
  metric: string;
  value: number;
  /** Monotonic ms (clock.now()) when the value was measured. */
  time: number;
}

export type Severity = 'info' | 'alert' | 'fault';

export interface DeviceEvent {
  type: 'event';
  /** e.g. 'motion', 'occupied', 'free', 'full', 'fire', 'pir-stuck-high'. */
  name: string;
  /** 'alert' and 'fault' bypass aggregation windows and go upstream at once. */
  severity: Severity;
  value: number;
  time: number;
  detail: string;
}

export type Output = Reading | DeviceEvent;
export type Emit = (output: Output) => void;

export type CommandArg = number | string | boolean;

export interface Command {
  name: string;
  args: { [key: string]: CommandArg };
}

export interface CommandResult {
  ok: boolean;
  /** 'OK' or an error code such as 'E_CMD_UNKNOWN', 'E_CMD_RANGE'. */
  code: string;
  message: string;
}

export type StateValue = number | string | boolean;

export interface Controller {
  readonly kind: DeviceKind;
  /** Opens nothing new; starts timers and watches. Emitting begins after start(). */
  start(): void;
  /** Stops every timer and closes every HAL resource the controller opened. */
  stop(): void;
  command(cmd: Command): CommandResult;
  /** A flat snapshot for status displays: level, mode, occupancy, fill %, faults. */
  state(): { [key: string]: StateValue };
}

export interface Location {
  latitude: number;
  longitude: number;
}

/** What a controller is handed: everything it uses, nothing it must look up. */
export interface ControllerContext<C> {
  hal: Hal;
  clock: Clock;
  pins: { [role: string]: PinId };
  config: C;
  location: Location;
  emit: Emit;
}
