/**
 * Fire detection for a bin's temperature samples: an alert when the temperature reaches
 * fireTempC, or rises by fireRiseC or more within fireRiseWindowS (against the lowest sample in
 * that window, kept in a small Ring of single-precision floats). One alert per episode: it
 * re-arms only once the temperature is back to normal, i.e. REARM_MARGIN_C below fireTempC and
 * rising by less than half of fireRiseC, so noise around a threshold cannot repeat it.
 */
import { Ring } from '../filters/ring.js';
import type { BinConfig } from './config.js';

export const REARM_MARGIN_C = 5;
/** The ring never grows past this many samples, whatever the config says. */
const MAX_WINDOW = 64;

export class FireWatch {
  private readonly cfg: BinConfig;
  private readonly ring: Ring;
  private armed = true;
  private lastRise = 0;

  constructor(cfg: BinConfig) {
    this.cfg = cfg;
    // The previous samples that lie within the window of the newest one.
    let size = Math.floor(cfg.fireRiseWindowS / cfg.tempSampleS);
    if (!(size >= 1)) size = 1;
    if (size > MAX_WINDOW) size = MAX_WINDOW;
    this.ring = new Ring(new Float32Array(size));
  }

  /** Takes one sample (taken every tempSampleS); true when a fire alert should go out now. */
  push(tempC: number): boolean {
    let low = tempC;
    const count = this.ring.count();
    for (let i = 0; i < count; i++) {
      const t = this.ring.at(i);
      if (t < low) low = t;
    }
    this.ring.push(tempC);
    this.lastRise = tempC - low;
    const hot = tempC >= this.cfg.fireTempC || this.lastRise >= this.cfg.fireRiseC;
    if (hot && this.armed) {
      this.armed = false;
      return true;
    }
    if (!this.armed && tempC < this.cfg.fireTempC - REARM_MARGIN_C && this.lastRise < this.cfg.fireRiseC / 2) {
      this.armed = true;
    }
    return false;
  }

  /** The rise within the window at the last sample, °C. */
  rise(): number {
    return this.lastRise;
  }

  isArmed(): boolean {
    return this.armed;
  }
}
