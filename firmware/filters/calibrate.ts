/**
 * Linear calibration (ESPHome `calibrate_linear` with two coefficients): a raw 0..1 converter
 * reading becomes engineering units as raw * gain + offset. Also any other linear map, e.g. a
 * bin's distance in cm to its fill in %.
 */
import type { LinearCalibration } from '../devices/config.js';
import type { Filter } from './filter.js';

export class Calibrate implements Filter {
  private readonly gain: number;
  private readonly offset: number;

  constructor(cal: LinearCalibration) {
    this.gain = cal.gain;
    this.offset = cal.offset;
  }

  /** Never drops a value, so the result is always a number. */
  push(value: number, _time: number): number {
    return value * this.gain + this.offset;
  }
}
