/**
 * The last accepted command counter of each operator key, persisted in the gateway's data
 * directory (`<data>/<gateway>/command-counters.json`) so a restart cannot reopen a replay:
 *
 *   { "version": 1, "counters": { "<keyId>": 42, ... } }
 *
 * Written to a temporary file, synced, renamed and the directory synced: a power cut leaves the
 * old or the new file, never half of one. A file that is there but cannot be read as this
 * (corrupt, truncated, hand-edited wrongly) is not taken for "no counters": that would accept
 * every old command again. The store is then 'broken': it says why, and every command is refused
 * until someone repairs the file (docs/commands.md says how).
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomically } from '../state/durable-file.js';

export const COUNTER_FILE = 'command-counters.json';

export type CounterState = 'ready' | 'broken';

export class CounterStoreError extends Error {
  readonly code = 'E_CMD_COUNTER_STORE';
  constructor(message: string, readonly file: string) {
    super(message);
    this.name = 'CounterStoreError';
  }
}

function parseCounters(text: string): Map<string, number> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `not JSON (${(err as Error).message.slice(0, 80)})`;
  }
  const v = value as { version?: unknown; counters?: unknown };
  if (v === null || typeof v !== 'object' || v.version !== 1) return 'expected {"version": 1, "counters": {...}}';
  if (v.counters === null || typeof v.counters !== 'object' || Array.isArray(v.counters)) return '"counters" must be an object of key id -> counter';
  const out = new Map<string, number>();
  for (const [k, n] of Object.entries(v.counters as Record<string, unknown>)) {
    if (!/^[0-9a-f]{16}$/.test(k) || !Number.isSafeInteger(n) || (n as number) < 0) return `counters["${k.slice(0, 20)}"] must be a 16-hex key id with a whole number >= 0; found ${JSON.stringify(n)}`;
    out.set(k, n as number);
  }
  return out;
}

export class CounterStore {
  readonly file: string;
  private counters = new Map<string, number>();
  private why: string | undefined;

  /** Reads `<dir>/command-counters.json`; never throws (a bad file makes the store 'broken'). */
  constructor(readonly dir: string) {
    this.file = path.join(dir, COUNTER_FILE);
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // no command accepted yet
      this.why = `cannot read ${this.file}: ${(err as Error).message}`;
      return;
    }
    const parsed = parseCounters(text);
    if (typeof parsed === 'string') this.why = `${this.file} is corrupt: ${parsed}`;
    else this.counters = parsed;
  }

  get state(): CounterState {
    return this.why === undefined ? 'ready' : 'broken';
  }

  /** Why the store refuses commands, or undefined when it is ready. */
  problem(): string | undefined {
    return this.why;
  }

  /** The last accepted counter for this key; 0 when none was. */
  last(keyId: string): number {
    return this.counters.get(keyId) ?? 0;
  }

  /**
   * Records `counter` as the last accepted for `keyId`, durably, before the command runs.
   * Throws CounterStoreError when the store is broken or the file cannot be written; the
   * counter in memory stays as it was then, so nothing is accepted on an unsaved counter.
   */
  advance(keyId: string, counter: number): void {
    if (this.why !== undefined) throw new CounterStoreError(this.why, this.file);
    const next = new Map(this.counters).set(keyId, counter);
    const text = JSON.stringify({ version: 1, counters: Object.fromEntries([...next].sort(([a], [b]) => (a < b ? -1 : 1))) }, null, 2) + '\n';
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      writeFileAtomically(this.file, text, 0o600);
    } catch (err) {
      throw new CounterStoreError(`cannot save the command counter to ${this.file}: ${(err as Error).message}`, this.file);
    }
    this.counters = next;
  }
}
