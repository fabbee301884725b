/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff and
 * Jitter"): delay = random(0, min(cap, base * 2^attempt)). Full jitter spreads a fleet that lost
 * its broker at the same moment, so the broker is not hit by every gateway at once when it returns.
 */
export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  random: () => number;
}

export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions) {}

  next(): number {
    const ceiling = Math.min(this.options.capMs, this.options.baseMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.floor(this.options.random() * ceiling);
  }

  reset(): void {
    this.attempt = 0;
  }

  attempts(): number {
    return this.attempt;
  }
}
