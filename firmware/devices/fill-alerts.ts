/**
 * Alerts on a bin's fill level, one sample at a time:
 * - 'full' (alert) once the fill reaches fullAlertPct; re-armed only when it drops below
 *   fullClearPct, so a bin hovering around the threshold or still filling alerts once;
 * - 'emptied' (info) when the fill drops by EMPTIED_DROP_PCT points or more between samples.
 */
import type { BinConfig } from './config.js';
import type { Emit } from './types.js';

export const EMPTIED_DROP_PCT = 40;

export class FillAlerts {
  private readonly cfg: BinConfig;
  private readonly emit: Emit;
  private armed = true;
  private last = NaN;

  constructor(cfg: BinConfig, emit: Emit) {
    this.cfg = cfg;
    this.emit = emit;
  }

  /** One fill sample (%, 0..100) taken at monotonic `time`. */
  push(fill: number, time: number): void {
    const c = this.cfg;
    const before = this.last;
    this.last = fill;
    if (before === before && before - fill >= EMPTIED_DROP_PCT) {
      this.emit({
        type: 'event', name: 'emptied', severity: 'info', value: fill, time,
        detail: 'fill dropped from ' + before.toFixed(0) + ' % to ' + fill.toFixed(0) + ' %',
      });
    }
    if (this.armed && fill >= c.fullAlertPct) {
      this.armed = false;
      this.emit({
        type: 'event', name: 'full', severity: 'alert', value: fill, time,
        detail: 'fill ' + fill.toFixed(0) + ' % reached ' + c.fullAlertPct + ' %',
      });
    } else if (!this.armed && fill < c.fullClearPct) {
      this.armed = true;
    }
  }

  /** True after a 'full' alert until the bin is emptied below fullClearPct. */
  alerted(): boolean {
    return !this.armed;
  }
}
