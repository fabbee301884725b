/**
 * Fire detection for a bin's temperature samples: an alert when the temperature reaches
 * fireTempC, or rises by fireRiseC or more within fireRiseWindowS (against the lowest sample in
 * that window, kept in a small typed-array ring). One alert per episode: it re-arms only once
 * the temperature is back to normal, i.e. REARM_MARGIN_C below fireTempC and rising by less than
 * half of fireRiseC, so noise around a threshold cannot repeat it.
 */
import type { BinConfig } from './config.js';

export const REARM_MARGIN_C = 5;
/** The ring never grows past this many samples, whatever the config says. */
const MAX_WINDOW = 64;

export class FireWatch {
  private readonly cfg: BinConfig;
  private readonly ring: Float32Array;
  private next = 0;
  private count = 0;
  private armed = true;
  private lastRise = 0;

  constructor(cfg: BinConfig) {
    this.cfg = cfg;
    // The previous samples that lie within the window of the newest one.
    let size = Math.floor(cfg.fireRiseWindowS / cfg.tempSampleS);
    if (!(size >= 1)) size = 1;
    if (size > MAX_WINDOW) size = MAX_WINDOW;
    this.ring = new Float32Array(size);
  }

  /** Takes one sample (taken every tempSampleS); true when a fire alert should go out now. */
  push(tempC: number): boolean {
    let low = tempC;
    for (let i = 0; i < this.count; i++) {
      if (this.ring[i] < low) low = this.ring[i];
    }
    this.ring[this.next] = tempC;
    this.next = (this.next + 1) % this.ring.length;
    if (this.count < this.ring.length) this.count++;
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
