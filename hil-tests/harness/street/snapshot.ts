/**
 * The street's state at one moment, as plain data for a demo screen or a debugging dump. It is
 * the simulation's view (true values, no sensor noise), not what any controller has concluded.
 */

export interface LampSnapshot {
  id: string;
  kind: 'lamp';
  x: number;
  /** Passers-by within the PIR's range right now. */
  passersInView: number;
  /** The PIR output (stays high for the hold time after the last one leaves). */
  pir: 0 | 1;
}

export interface ParkingSnapshot {
  id: string;
  kind: 'parking';
  x: number;
  /** A car at rest on the space. */
  occupied: boolean;
  /** 0..1: how far a car is over the space (between while manoeuvring). */
  carShare: number;
  /** Noise-free magnetic field in µT (magnetometer spaces only). */
  fieldUt?: number;
}

export interface BinSnapshot {
  id: string;
  kind: 'bin';
  x: number;
  fillPct: number;
  lidOpen: boolean;
  temperatureC: number;
  burning: boolean;
}

export type DeviceSnapshot = LampSnapshot | ParkingSnapshot | BinSnapshot;

export interface StreetSnapshot {
  /** Monotonic ms. */
  time: number;
  wallTime: number;
  localHour: number;
  sunElevationDeg: number;
  airTemperatureC: number;
  /** Lamps, then parking spaces, then bins, each in the order given. */
  devices: DeviceSnapshot[];
}
