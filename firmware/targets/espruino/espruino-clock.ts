/**
 * The board's clock. getTime() counts seconds since power-on (we never call setTime, so it does
 * not jump); wall time comes from the gateway through SyncedClock, never from the board.
 * Espruino's clearTimeout and clearInterval are one function, so one clearTimer serves both; it
 * throws for an id that already fired ("Unknown Timeout"), which the Clock contract ignores.
 */
import type { Clock, TimerId } from '../../hal/clock.js';

export class EspruinoClock implements Clock {
  now(): number {
    return getTime() * 1000;
  }

  wallTime(): number {
    return getTime() * 1000;
  }

  wallSynced(): boolean {
    return false;
  }

  setTimeout(fn: () => void, ms: number): TimerId {
    return setTimeout(fn, ms) as unknown as TimerId;
  }

  setInterval(fn: () => void, ms: number): TimerId {
    return setInterval(fn, ms) as unknown as TimerId;
  }

  clearTimer(id: TimerId): void {
    try {
      clearTimeout(id as never);
    } catch (e) {
      // already fired
    }
  }
}
