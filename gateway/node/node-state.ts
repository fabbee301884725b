/**
 * The node controller's state as the gateway shows it. A state larger than a frame arrives in
 * parts, one frame after another, each a map of some of the keys, so parts are merged into what
 * is kept, not swapped for it. The merge is bounded against a node that sends ever new keys or
 * oversized values (a firmware bug must not grow the gateway's memory for ever): at most
 * `maxKeys` keys (new keys beyond it are dropped), keys of at most `maxKeyLength` characters and
 * text values of at most `maxTextLength` (a key with a longer one is dropped, its old value too).
 * Every drop is counted; the first of each kind per node boot is reported through `onDrop`.
 */
import type { StateValue } from '../../firmware/devices/types.js';

export interface StateLimits {
  maxKeys: number;
  maxKeyLength: number;
  maxTextLength: number;
}

/** Lamp, parking and bin states have 11..13 keys, the longest text about 60 characters. */
export const STATE_LIMITS: StateLimits = { maxKeys: 64, maxKeyLength: 32, maxTextLength: 120 };

export type StateDrop = 'too-many-keys' | 'too-long';

export class NodeState {
  private readonly kept = new Map<string, StateValue>();
  private readonly told = new Set<StateDrop>();
  private droppedCount = 0;

  constructor(
    private readonly onDrop: (kind: StateDrop, key: string, reason: string) => void,
    private readonly limits: StateLimits = STATE_LIMITS,
  ) {}

  /** Merges one part of a snapshot into what is kept. */
  merge(part: { [key: string]: StateValue }): void {
    const { maxKeys, maxKeyLength, maxTextLength } = this.limits;
    for (const [key, value] of Object.entries(part)) {
      if (key.length > maxKeyLength || (typeof value === 'string' && value.length > maxTextLength)) {
        this.kept.delete(key);
        const length = key.length > maxKeyLength ? `a key of ${key.length} characters` : `a text value of ${(value as string).length} characters`;
        this.drop('too-long', key, `${length}, longer than the ${key.length > maxKeyLength ? maxKeyLength : maxTextLength} kept: the key is dropped`);
      } else if (!this.kept.has(key) && this.kept.size >= maxKeys) {
        this.drop('too-many-keys', key, `the node's state has more than ${maxKeys} keys: new keys are dropped`);
      } else {
        this.kept.set(key, value);
      }
    }
  }

  /** Forgets everything: the node restarted. */
  clear(): void {
    this.kept.clear();
    this.told.clear();
  }

  snapshot(): { [key: string]: StateValue } {
    return Object.fromEntries(this.kept);
  }

  /** Keys dropped so far (a key dropped by every part it came in counts each time). */
  dropped(): number {
    return this.droppedCount;
  }

  private drop(kind: StateDrop, key: string, reason: string): void {
    this.droppedCount++;
    if (this.told.has(kind)) return;
    this.told.add(kind);
    this.onDrop(kind, key.length > 40 ? `${key.substring(0, 40)}...` : key, reason);
  }
}
