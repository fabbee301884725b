/**
 * What a simulated street is built from, checked before anything is scheduled. Like the HAL's
 * option checks, every problem is listed at once so a test author fixes the whole device list in
 * one go. Defaults live here, so the other street files receive complete settings.
 */
import type { MockHal } from '../mock-hal.js';
import type { VirtualClock } from '../virtual-clock.js';

export type StreetDeviceKind = 'lamp' | 'parking' | 'bin';

export interface Calibration {
  gain: number;
  offset: number;
}

export interface StreetDevice {
  id: string;
  kind: StreetDeviceKind;
  /** Metres along the street, west (low) to east (high). */
  x: number;
  /** Role -> pin. lamp: pir, light?; parking: field | trigger+echo; bin: trigger, echo, lid, temp. */
  pins: Record<string, string>;
  /** Parking only; default 'magnetometer' when a field pin is given, else 'distance'. */
  sensor?: 'magnetometer' | 'distance';
  /** raw -> units: parking magnetometer µT (default 200, -100), bin temperature °C (default 165, -40). */
  calibration?: Calibration;
}

export interface StreetOptions {
  clock: VirtualClock;
  hal: MockHal;
  devices: StreetDevice[];
  seed: number;
  /** Traffic multiplier; 0 turns random passers-by off (spawn() still works). Default 1. */
  intensity?: number;
  /** Local time = UTC + this; default 120 (Amsterdam in summer). */
  utcOffsetMin?: number;
  /** For the solar model of light sensors; default Amsterdam. */
  latitude?: number;
  longitude?: number;
  /** Bin sensor-to-bottom distance when empty and sensor-to-rubbish when full; default 120 / 15 cm. */
  binEmptyCm?: number;
  binFullCm?: number;
  /** Street ends lie this far beyond the outermost devices; default 10 m (> the 6 m PIR range). */
  marginM?: number;
}

export type StreetErrorCode = 'E_STREET_CONFIG' | 'E_STREET_UNKNOWN_DEVICE' | 'E_STREET_STATE';

export interface StreetError extends Error {
  code: StreetErrorCode;
}

export function streetError(code: StreetErrorCode, message: string): StreetError {
  const err = new Error(message) as StreetError;
  err.code = code;
  return err;
}

export const DEFAULT_MAGNETOMETER_CAL: Calibration = { gain: 200, offset: -100 };
export const DEFAULT_TEMPERATURE_CAL: Calibration = { gain: 165, offset: -40 };

/** A device with its defaults applied. */
export interface ResolvedDevice extends StreetDevice {
  calibration: Calibration;
}

export interface ResolvedStreet {
  devices: ResolvedDevice[];
  intensity: number;
  utcOffsetMin: number;
  latitude: number;
  longitude: number;
  binEmptyCm: number;
  binFullCm: number;
  westM: number;
  eastM: number;
}

const REQUIRED_PINS: Record<string, string[]> = {
  lamp: ['pir'],
  magnetometer: ['field'],
  distance: ['trigger', 'echo'],
  bin: ['trigger', 'echo', 'lid', 'temp'],
};

function checkDevice(d: StreetDevice, problems: string[]): ResolvedDevice {
  const where = `device ${JSON.stringify(d.id)}`;
  if (typeof d.id !== 'string' || d.id.length === 0) problems.push('every device needs a non-empty id');
  if (d.kind !== 'lamp' && d.kind !== 'parking' && d.kind !== 'bin') {
    problems.push(`${where}: kind must be 'lamp', 'parking' or 'bin', got ${String(d.kind)}`);
  }
  if (!(typeof d.x === 'number' && isFinite(d.x))) problems.push(`${where}: x must be a finite number of metres`);
  const pins = d.pins ?? {};
  let sensor = d.sensor;
  if (d.kind === 'parking' && sensor === undefined) sensor = pins['field'] !== undefined ? 'magnetometer' : 'distance';
  if (d.kind !== 'parking' && d.sensor !== undefined) problems.push(`${where}: sensor is for parking devices only`);
  if (sensor !== undefined && sensor !== 'magnetometer' && sensor !== 'distance') {
    problems.push(`${where}: sensor must be 'magnetometer' or 'distance'`);
  }
  const roles = REQUIRED_PINS[d.kind === 'parking' ? String(sensor) : d.kind] ?? [];
  for (const role of roles) {
    if (typeof pins[role] !== 'string' || pins[role] === '') problems.push(`${where}: needs a '${role}' pin`);
  }
  const cal = d.calibration ?? (d.kind === 'bin' ? DEFAULT_TEMPERATURE_CAL : DEFAULT_MAGNETOMETER_CAL);
  if (!(isFinite(cal.gain) && cal.gain !== 0 && isFinite(cal.offset))) {
    problems.push(`${where}: calibration needs a finite non-zero gain and a finite offset`);
  }
  const resolved: ResolvedDevice = { ...d, pins: { ...pins }, calibration: { ...cal } };
  if (sensor !== undefined) resolved.sensor = sensor;
  return resolved;
}

/** Applies defaults and checks everything; throws E_STREET_CONFIG listing every problem. */
export function resolveStreet(o: StreetOptions): ResolvedStreet {
  const problems: string[] = [];
  if (!(typeof o.seed === 'number' && isFinite(o.seed))) problems.push('seed must be a finite number');
  const devices = (o.devices ?? []).map((d) => checkDevice(d, problems));
  const ids = new Set<string>();
  const pins = new Map<string, string>();
  for (const d of devices) {
    if (ids.has(d.id)) problems.push(`device id ${JSON.stringify(d.id)} is used twice`);
    ids.add(d.id);
    for (const pin of Object.values(d.pins)) {
      const other = pins.get(pin);
      if (other !== undefined && other !== d.id) problems.push(`pin ${pin} is given to both ${other} and ${d.id}`);
      pins.set(pin, d.id);
    }
  }
  const intensity = o.intensity ?? 1;
  if (!(intensity >= 0 && isFinite(intensity))) problems.push('intensity must be a finite number >= 0');
  const binEmptyCm = o.binEmptyCm ?? 120;
  const binFullCm = o.binFullCm ?? 15;
  if (!(binFullCm > 0 && binEmptyCm > binFullCm)) problems.push('bin distances need 0 < binFullCm < binEmptyCm');
  const marginM = o.marginM ?? 10;
  if (!(marginM >= 0)) problems.push('marginM must be >= 0');
  if (problems.length > 0) throw streetError('E_STREET_CONFIG', 'simulated street: ' + problems.join('; '));
  const xs = devices.map((d) => d.x);
  return {
    devices,
    intensity,
    utcOffsetMin: o.utcOffsetMin ?? 120,
    latitude: o.latitude ?? 52.37,
    longitude: o.longitude ?? 4.9,
    binEmptyCm,
    binFullCm,
    westM: (xs.length > 0 ? Math.min(...xs) : 0) - marginM,
    eastM: (xs.length > 0 ? Math.max(...xs) : 0) + marginM,
  };
}
