/**
 * The upload's progress for a person: on a terminal one line redrawn in place with a bar, bytes,
 * speed and time left; elsewhere (a log, CI) a plain line at every tenth, so a piped run is
 * still readable and does not fill a file with carriage returns.
 */
import type { FlashProgress } from './flasher.js';

const WIDTH = 28;

export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

export function progressLine(p: FlashProgress): string {
  const fraction = p.total === 0 ? 1 : p.done / p.total;
  const filled = Math.round(fraction * WIDTH);
  const rate = p.elapsedMs > 0 ? (p.done / p.elapsedMs) * 1000 : 0;
  const eta = p.etaMs === undefined ? 'estimating' : `${duration(p.etaMs)} left`;
  return `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(Math.round(fraction * 100)).padStart(3)} %  ` +
    `${(p.done / 1024).toFixed(1)}/${(p.total / 1024).toFixed(1)} KB  ${(rate / 1024).toFixed(1)} KB/s  ${eta}`;
}

export class ProgressBar {
  private lastTenth = -1;
  private drawn = false;

  constructor(private readonly out: { write(text: string): unknown; isTTY?: boolean }) {}

  update(p: FlashProgress): void {
    if (this.out.isTTY) {
      this.out.write(`\r${progressLine(p)}\x1b[K`);
      this.drawn = true;
      return;
    }
    const tenth = Math.floor((p.done / Math.max(1, p.total)) * 10);
    if (tenth === this.lastTenth) return;
    this.lastTenth = tenth;
    this.out.write(`${progressLine(p)}\n`);
  }

  /** Ends the redrawn line so what follows starts on its own. */
  end(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}
