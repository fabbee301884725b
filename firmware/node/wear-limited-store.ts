/**
 * Values a node keeps across restarts (its place, say) written to flash no more often than
 * `minIntervalMs` per key, and never when unchanged: a gateway that re-sends the same setup every
 * hour costs no writes, and one that sends a new value every second costs one write per interval
 * (the last value wins). Flash pages survive some 10,000 erase cycles; an hourly worst case is
 * over a year of writes for one page, and Storage spreads them over its whole area.
 */
import type { Clock, TimerId } from '../hal/clock.js';
import type { KeyStore } from './key-store.js';

interface Slot {
  key: string;
  /** The JSON text in flash. */
  written: string | undefined;
  /** Monotonic ms of the last write; -Infinity before the first. */
  at: number;
  pending: string | undefined;
  timer: TimerId | undefined;
}

export class WearLimitedStore {
  private readonly slots: Slot[] = [];
  /** Writes made, for wear tests and the node's state. */
  writes = 0;

  constructor(private readonly store: KeyStore, private readonly clock: Clock, private readonly minIntervalMs: number) {}

  get(key: string): unknown {
    const slot = this.slot(key);
    const text = slot.pending !== undefined ? slot.pending : slot.written;
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text);
    } catch (e) {
      return undefined;
    }
  }

  set(key: string, value: unknown): void {
    const slot = this.slot(key);
    const text = JSON.stringify(value);
    if (text === slot.written) {
      slot.pending = undefined;
      return;
    }
    slot.pending = text;
    const wait = slot.at + this.minIntervalMs - this.clock.now();
    if (wait <= 0) this.write(slot);
    else if (slot.timer === undefined) {
      slot.timer = this.clock.setTimeout(() => {
        slot.timer = undefined;
        this.write(slot);
      }, wait);
    }
  }

  /** Cancels deferred writes (the value stays unwritten: used when the node stops). */
  stop(): void {
    for (let i = 0; i < this.slots.length; i++) {
      const t = this.slots[i].timer;
      if (t !== undefined) this.clock.clearTimer(t);
      this.slots[i].timer = undefined;
    }
  }

  private write(slot: Slot): void {
    if (slot.pending === undefined) return;
    this.store.write(slot.key, slot.pending);
    this.writes++;
    slot.written = slot.pending;
    slot.pending = undefined;
    slot.at = this.clock.now();
  }

  private slot(key: string): Slot {
    for (let i = 0; i < this.slots.length; i++) if (this.slots[i].key === key) return this.slots[i];
    const slot: Slot = { key: key, written: this.store.read(key), at: -Infinity, pending: undefined, timer: undefined };
    this.slots.push(slot);
    return slot;
  }
}
