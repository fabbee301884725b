/**
 * Drives the virtual clock from real time at `speed`x, so the demo street runs at a watchable
 * pace while every device, window and schedule still sees the one injected clock.
 */
import type { VirtualClock } from '../../hil-tests/harness/virtual-clock.js';

export class Pacer {
  private handle: NodeJS.Timeout | undefined;
  private last = 0;

  constructor(private readonly clock: VirtualClock, private readonly speed: number, private readonly tickMs = 100) {}

  start(): void {
    this.last = performance.now();
    this.handle = setInterval(() => this.tick(), this.tickMs);
  }

  stop(): void {
    if (this.handle !== undefined) clearInterval(this.handle);
    this.handle = undefined;
  }

  private tick(): void {
    const now = performance.now();
    // A stalled event loop (a laptop lid closed) must not make the street jump hours at once.
    const realMs = Math.min(now - this.last, 10 * this.tickMs);
    this.last = now;
    this.clock.advance(realMs * this.speed);
  }
}
