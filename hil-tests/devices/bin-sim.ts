/**
 * A street bin for the bin suites: the bin-ultrasonic profile, and a MockHal wired to a bin whose
 * rubbish height, air temperature and lid a test sets; the echo is the true distance at the
 * speed of sound of the true temperature, unless a test scripts the echoes itself.
 */
import type { BinConfig } from '../../firmware/devices/config.js';
import { Rig } from './rig.js';

export function binConfig(): BinConfig {
  return {
    sampleS: 600, tempSampleS: 30, samples: 5, emptyCm: 120, fullCm: 15, minCm: 3, maxCm: 400,
    fullAlertPct: 80, fullClearPct: 50, temperature: { gain: 165, offset: -40 },
    fireTempC: 70, fireRiseC: 15, fireRiseWindowS: 300,
  };
}

export const BIN_PINS = { trigger: 'D7', echo: 'D8', lid: 'D9', temp: 'A2' };

export const soundCmPerUs = (c: number) => (331.3 + 0.606 * c) / 1e4;

/** Distance (cm) from the sensor down to the rubbish at a given fill %. */
export const cmAtFill = (pct: number) => 120 - (105 * pct) / 100;

export class StreetBin {
  readonly rig: Rig<'bin'>;
  distanceCm = 115;
  airC = 20;
  /** When set, echo widths come from here in turn (µs, -1 for none) instead of the bin. */
  script: number[] = [];

  constructor(config?: BinConfig) {
    this.rig = new Rig({ kind: 'bin', config: config ?? binConfig(), pins: BIN_PINS });
    const hal = this.rig.hal;
    hal.setAnalog('A2', () => (this.airC + 40) / 165);
    hal.setEcho('D8', () => {
      const next = this.script.shift();
      if (next !== undefined) return next;
      return (2 * this.distanceCm) / soundCmPerUs(this.airC);
    });
  }

  /** The echo width for `cm` at the current true air temperature. */
  echoFor(cm: number): number {
    return (2 * cm) / soundCmPerUs(this.airC);
  }

  setLid(open: boolean): void {
    this.rig.hal.setLevel('D9', open ? 1 : 0);
  }
}
