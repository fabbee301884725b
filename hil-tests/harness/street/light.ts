/**
 * Ambient light for lamps with a light sensor: a solar-elevation model (the usual low-precision
 * almanac formulas, good to about a degree, plenty for dusk and dawn) mapped to the sensor's
 * 0..1 output, with a slow per-lamp cloud factor and a little sensor noise. Evaluated lazily
 * when the controller reads the pin, so it costs no timers.
 */
import type { Random } from '../random.js';

const RAD = Math.PI / 180;

/** Sun elevation above the horizon in degrees at `wallMs` (UTC) for the given place. */
export function solarElevationDeg(wallMs: number, latitude: number, longitude: number): number {
  const d = wallMs / 86400000 + 2440587.5 - 2451545.0; // days since J2000.0
  const g = (357.529 + 0.98560028 * d) * RAD; // mean anomaly
  const q = 280.459 + 0.98564736 * d; // mean longitude, degrees
  const lambda = (q + 1.915 * Math.sin(g) + 0.02 * Math.sin(2 * g)) * RAD; // ecliptic longitude
  const eps = (23.439 - 0.00000036 * d) * RAD; // obliquity
  const ra = Math.atan2(Math.cos(eps) * Math.sin(lambda), Math.cos(lambda));
  const dec = Math.asin(Math.sin(eps) * Math.sin(lambda));
  const gmstDeg = (280.46061837 + 360.98564736629 * d) % 360;
  const hourAngle = (gmstDeg + longitude) * RAD - ra;
  const phi = latitude * RAD;
  const sinAlt = Math.sin(phi) * Math.sin(dec) + Math.cos(phi) * Math.cos(dec) * Math.cos(hourAngle);
  return Math.asin(Math.max(-1, Math.min(1, sinAlt))) / RAD;
}

/**
 * Sensor output for a sun elevation: 0.02 at night (street lights, moon), a ramp through civil
 * twilight (-6°..+6°) to 0.35, then up to 0.95 with the sun high.
 */
export function lightLevel(elevationDeg: number): number {
  if (elevationDeg <= -6) return 0.02;
  if (elevationDeg <= 6) return 0.02 + (0.33 * (elevationDeg + 6)) / 12;
  return 0.35 + 0.6 * Math.min(1, (elevationDeg - 6) / 40);
}

/** A lamp's light sensor as a function of monotonic time, for hal.setAnalog. */
export function lightSensor(
  wallAt: (ms: number) => number,
  latitude: number,
  longitude: number,
  rng: Random,
): (nowMs: number) => number {
  // Shade (fixed per lamp, 0.85..1) and clouds (0.8..1, drifting over a couple of hours).
  const shade = rng.uniform(0.85, 1);
  const cloudPeriodMs = rng.uniform(1.5, 3) * 3600000;
  const cloudPhase = rng.uniform(0, 2 * Math.PI);
  const noise = rng.fork('noise');
  return (nowMs) => {
    const wall = wallAt(nowMs);
    const clouds = 0.9 + 0.1 * Math.sin((2 * Math.PI * wall) / cloudPeriodMs + cloudPhase);
    return lightLevel(solarElevationDeg(wall, latitude, longitude)) * shade * clouds + noise.normal(0, 0.005);
  };
}
