/**
 * The clock every controller and the gateway core receive. Nothing in firmware/ or the gateway
 * core reads Date.now() or calls setTimeout directly, so hold timers, fades, schedules and
 * aggregation windows run unchanged under the virtual clock in tests and the demo.
 */
export type TimerId = number;

export interface Clock {
  /** Monotonic milliseconds since an arbitrary origin. Use for every interval and timeout. */
  now(): number;
  /** Wall-clock milliseconds since the Unix epoch; only meaningful while `wallSynced()` is true. */
  wallTime(): number;
  /** True once wall time is trusted (NTP, RTC or the gateway told the node). */
  wallSynced(): boolean;
  /** Calls `fn` once after `ms` monotonic milliseconds; never synchronously. */
  setTimeout(fn: () => void, ms: number): TimerId;
  /** Calls `fn` every `ms` monotonic milliseconds until cleared. */
  setInterval(fn: () => void, ms: number): TimerId;
  /** Cancels a timeout or interval; unknown or already-fired ids are ignored. */
  clearTimer(id: TimerId): void;
}
