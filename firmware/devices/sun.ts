/**
 * Sunrise and sunset from the NOAA solar calculator (the spreadsheet's Julian-century
 * formulas), for the standard zenith of 90.833° (refraction plus the sun's radius). Each event
 * is computed twice: once at the estimated time, then again at the time the first pass gave,
 * which keeps the error well under a minute away from the poles.
 *
 * The "date" is the local solar day (by longitude, not by civil time zone) that contains the
 * given instant, so sunrise <= noon <= sunset always and "before sunrise or after sunset" is
 * the night around that instant.
 */

export interface SunTimes {
  /** UTC ms; NaN during polar day or polar night. */
  sunrise: number;
  sunset: number;
  /** UTC ms of solar noon. */
  noon: number;
  /** The sun stays above the horizon all day. */
  polarDay: boolean;
  /** The sun stays below the horizon all day. */
  polarNight: boolean;
}

const DAY_MS = 86400000;
const RAD = Math.PI / 180;
const ZENITH_DEG = 90.833;

/** Equation of time (minutes) and declination (radians) at UTC ms `t`. */
function solar(t: number, out: Float64Array): void {
  const jd = t / DAY_MS + 2440587.5;
  const T = (jd - 2451545) / 36525;
  const l0 = (280.46646 + T * (36000.76983 + T * 0.0003032)) % 360;
  const m = 357.52911 + T * (35999.05029 - 0.0001537 * T);
  const e = 0.016708634 - T * (0.000042037 + 0.0000001267 * T);
  const mr = m * RAD;
  const c = Math.sin(mr) * (1.914602 - T * (0.004817 + 0.000014 * T)) +
    Math.sin(2 * mr) * (0.019993 - 0.000101 * T) + Math.sin(3 * mr) * 0.000289;
  const omega = (125.04 - 1934.136 * T) * RAD;
  const lambda = (l0 + c - 0.00569 - 0.00478 * Math.sin(omega)) * RAD;
  const eps0 = 23 + (26 + (21.448 - T * (46.815 + T * (0.00059 - T * 0.001813))) / 60) / 60;
  const eps = (eps0 + 0.00256 * Math.cos(omega)) * RAD;
  const tanHalf = Math.tan(eps / 2);
  const y = tanHalf * tanHalf;
  const l0r = l0 * RAD;
  const eqTime = 4 / RAD * (y * Math.sin(2 * l0r) - 2 * e * Math.sin(mr) +
    4 * e * y * Math.sin(mr) * Math.cos(2 * l0r) - 0.5 * y * y * Math.sin(4 * l0r) -
    1.25 * e * e * Math.sin(2 * mr));
  out[0] = eqTime;
  out[1] = Math.asin(Math.sin(eps) * Math.sin(lambda));
}

/** cos of the hour angle at which the sun crosses the zenith; outside -1..1 there is no crossing. */
function cosHourAngle(latRad: number, decl: number): number {
  return Math.cos(ZENITH_DEG * RAD) / (Math.cos(latRad) * Math.cos(decl)) - Math.tan(latRad) * Math.tan(decl);
}

/**
 * One event near UTC ms `estimate`: sign -1 for sunrise, +1 for sunset. Returns NaN and sets
 * flags[0] (polar day) or flags[1] (polar night) when the sun does not cross the horizon.
 */
function event(estimate: number, dayStart: number, latRad: number, lon: number, sign: number,
  scratch: Float64Array): number {
  let t = estimate;
  for (let pass = 0; pass < 2; pass++) {
    solar(t, scratch);
    const cosH = cosHourAngle(latRad, scratch[1]);
    if (cosH < -1) {
      scratch[2] = 1;
      return NaN;
    }
    if (cosH > 1) {
      scratch[3] = 1;
      return NaN;
    }
    const haDeg = Math.acos(cosH) / RAD;
    const minutes = 720 - 4 * (lon - sign * haDeg) - scratch[0];
    t = dayStart + minutes * 60000;
  }
  return t;
}

/** Sunrise, sunset and solar noon for the local solar day containing UTC ms `time`. */
export function sunTimes(time: number, latitude: number, longitude: number): SunTimes {
  const lonMs = longitude / 360 * DAY_MS;
  const dayStart = Math.floor((time + lonMs) / DAY_MS) * DAY_MS;
  const latRad = latitude * RAD;
  // [eqTime, declination, polarDay flag, polarNight flag]
  const scratch = new Float64Array(4);
  const noonEstimate = dayStart + DAY_MS / 2 - lonMs;
  solar(noonEstimate, scratch);
  const noon = dayStart + (720 - 4 * longitude - scratch[0]) * 60000;
  const sunrise = event(noon - DAY_MS / 4, dayStart, latRad, longitude, -1, scratch);
  const sunset = event(noon + DAY_MS / 4, dayStart, latRad, longitude, 1, scratch);
  const polar = sunrise !== sunrise || sunset !== sunset;
  return {
    sunrise: polar ? NaN : sunrise,
    sunset: polar ? NaN : sunset,
    noon,
    polarDay: polar && scratch[2] === 1,
    polarNight: polar && scratch[2] !== 1 && scratch[3] === 1,
  };
}
