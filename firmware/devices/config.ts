/**
 * Device configuration as the controllers receive it: complete, validated and with defaults
 * applied by the profile loader (device-profiles/), so controllers never guess.
 * Times are in seconds in profiles (people write them) and converted to ms inside controllers.
 */

/** raw 0..1 converter reading -> engineering units: value = raw * gain + offset. */
export interface LinearCalibration {
  gain: number;
  offset: number;
}

export interface LampSchedule {
  /** 'sun': on between sunset and sunrise at the device's location; 'light': the light sensor. */
  source: 'sun' | 'light';
  /** Minutes after sunset to switch on (negative: before). */
  duskOffsetMin: number;
  /** Minutes after sunrise to switch off (negative: before). */
  dawnOffsetMin: number;
  /** Light sensor (0..1) below which it is night. */
  lightOnBelow: number;
  /** Light sensor (0..1) above which it is day; must be > lightOnBelow (hysteresis). */
  lightOffAbove: number;
  /** The light level (averaged over the last 3 checks) must stay past a threshold this long. */
  lightDelayS: number;
  /** How often the schedule is re-evaluated. */
  checkS: number;
}

export interface LampConfig {
  /** Level (0..1) on motion at night. */
  fullLevel: number;
  /** Level (0..1) at night without motion. */
  baseLevel: number;
  /**
   * From the last motion (the PIR going low) until back at base level: full level for
   * holdS - fadeS, then the fade. Motion restarts it. Default 30.
   */
  holdS: number;
  /** The last part of holdS: a linear fade from full to base level; <= holdS. */
  fadeS: number;
  /** PWM carrier frequency. */
  pwmHz: number;
  pirDebounceMs: number;
  /** Level when the motion sensor is judged faulty (night only). */
  failSafeLevel: number;
  /** PIR high without a break this long -> stuck-high fault; < pirSilentS. */
  pirStuckHighS: number;
  /** No PIR edge at all for this long -> silent fault; > pirStuckHighS, so stuck is seen first. */
  pirSilentS: number;
  schedule: LampSchedule;
}

export interface ParkingConfig {
  /** 'magnetometer': analog field strength; 'distance': ultrasonic distance to the car underside. */
  sensor: 'magnetometer' | 'distance';
  sampleS: number;
  /** Engineering-unit reading = raw * gain + offset (µT for magnetometers; unused for distance). */
  calibration: LinearCalibration;
  /** |reading - baseline| at or above this suggests a car. */
  detectDelta: number;
  /** |reading - baseline| below this suggests the space is free; must be < detectDelta. */
  releaseDelta: number;
  /** A change must persist this long before it is reported. */
  confirmS: number;
  /** Weight of each new sample in the baseline's moving average while free; frozen while occupied. */
  baselineAlpha: number;
  /** Occupancy is re-sent at least this often even without a change. */
  heartbeatS: number;
  /**
   * Occupied with a reading that stays within releaseDelta of itself this long: the reading is
   * taken as the new free baseline and 'free' goes out. Repairs a baseline learnt with a car
   * above the sensor (a restart with the space taken); a car parked longer than this without
   * any change in its reading is reported free until it leaves. Default 86400.
   */
  relearnS: number;
  /**
   * Distance sensors: an echo from farther than this, or none, means nothing is above the
   * sensor. Open sky gives stray echoes at random distances; capping them keeps the baseline
   * steady. Unused for magnetometers.
   */
  rangeCm: number;
}

export interface BinConfig {
  /** Fill measurement period (ultrasonic bursts cost power). */
  sampleS: number;
  /** Temperature period; shorter than sampleS so a fire is caught early. */
  tempSampleS: number;
  /** Echo measurements per sample; the median is kept. */
  samples: number;
  /** Distance sensor-to-bottom when empty, cm. */
  emptyCm: number;
  /** Distance sensor-to-rubbish when full, cm. */
  fullCm: number;
  /** Sensor's valid range; echoes outside are rejected as out of range. */
  minCm: number;
  maxCm: number;
  /** Alert once fill reaches this %, re-armed below fullClearPct. */
  fullAlertPct: number;
  fullClearPct: number;
  /** Temperature sensor: raw 0..1 -> °C. */
  temperature: LinearCalibration;
  /** Fire alert above this absolute temperature... */
  fireTempC: number;
  /** ...or on a rise of at least this many °C... */
  fireRiseC: number;
  /** ...within this window. */
  fireRiseWindowS: number;
}
