/**
 * Linear calibration (ESPHome `calibrate_linear` with two coefficients): a raw 0..1 converter
 * reading becomes engineering units as raw * gain + offset.
 */
import type { LinearCalibration } from '../devices/config.js';
import type { Filter } from './filter.js';

export function calibrate(raw: number, cal: LinearCalibration): number {
  return raw * cal.gain + cal.offset;
}

export class Calibrate implements Filter {
  private readonly gain: number;
  private readonly offset: number;

  constructor(cal: LinearCalibration) {
    this.gain = cal.gain;
    this.offset = cal.offset;
  }

  push(value: number, _time: number): number | undefined {
    return value * this.gain + this.offset;
  }
}
