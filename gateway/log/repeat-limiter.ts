/**
 * Rate-limits repeated log records, so a flapping sensor or a port that fails every 100 ms
 * cannot fill the SD card. A repeat is the same event, for the same subject (the first of the
 * key fields present: `device`, `port`, ...) with the same message once numbers are taken out.
 * Each repeat key gets a fixed window from its first record: the first `limit` records pass,
 * later ones are counted, and when the window ends one `log.suppressed` summary says how many
 * were held back. Keys are kept in LRU order and bounded; a key evicted while it holds a count
 * reports it at once, so no count is lost. Time is the injected clock's monotonic time; a timer
 * is armed only while some count waits for its window to end.
 */
import type { Clock, TimerId } from '../../firmware/hal/clock.js';
import type { LogLevel } from './log-level.js';
import { LEVEL_ORDER } from './log-level.js';

export interface RepeatLimitOptions {
  /** Records of one key that pass per window; default 10. */
  limit?: number;
  /** Window length, monotonic ms; default 60 000. */
  windowMs?: number;
  /** Repeat keys remembered at once (LRU); default 1000. */
  maxKeys?: number;
  /** Fields that name what a record is about; the first present joins the key. */
  keyFields?: readonly string[];
  /** Fields whose text (digits replaced) joins the key. */
  messageFields?: readonly string[];
}

export const DEFAULT_KEY_FIELDS: readonly string[] = ['device', 'port', 'gpio', 'pin', 'url', 'topic'];
export const DEFAULT_MESSAGE_FIELDS: readonly string[] = ['error', 'message', 'reason'];

/** What a summary says: the repeated event, its subject, how many were held back and when. */
export interface SuppressedSummary {
  level: LogLevel;
  fields: Record<string, unknown>;
}

interface Entry {
  event: string;
  subject: [string, unknown] | undefined;
  start: number;
  passed: number;
  suppressed: number;
  level: LogLevel;
}

/** Text with numbers (ids, counts, ms) replaced, trimmed, so "retry in 500 ms" and "retry in 1000 ms" repeat. */
export function normaliseMessage(text: string): string {
  return text.replace(/\d+(\.\d+)?/g, '#').replace(/\s+/g, ' ').trim().slice(0, 120);
}

export class RepeatLimiter {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly keyFields: readonly string[];
  private readonly messageFields: readonly string[];
  private readonly entries = new Map<string, Entry>();
  private timer: TimerId | undefined;
  private timerDue = Infinity;

  constructor(private readonly clock: Clock, private readonly emit: (summary: SuppressedSummary) => void, o: RepeatLimitOptions = {}) {
    this.limit = o.limit ?? 10;
    this.windowMs = o.windowMs ?? 60_000;
    this.maxKeys = o.maxKeys ?? 1000;
    this.keyFields = o.keyFields ?? DEFAULT_KEY_FIELDS;
    this.messageFields = o.messageFields ?? DEFAULT_MESSAGE_FIELDS;
    const problems: string[] = [];
    if (!(Number.isInteger(this.limit) && this.limit >= 1)) problems.push(`limit must be an integer >= 1, got ${this.limit}`);
    if (!(this.windowMs > 0)) problems.push(`windowMs must be > 0, got ${this.windowMs}`);
    if (!(Number.isInteger(this.maxKeys) && this.maxKeys >= 1)) problems.push(`maxKeys must be an integer >= 1, got ${this.maxKeys}`);
    if (problems.length > 0) throw new RangeError(`log rate limit: ${problems.join('; ')}`);
  }

  /** True if the record may be written; false if it is counted instead. */
  admit(level: LogLevel, event: string, fields: Record<string, unknown>): boolean {
    const now = this.clock.now();
    if (now >= this.timerDue) this.sweep(now);
    const subjectField = this.keyFields.find((f) => fields[f] !== undefined);
    const subject: [string, unknown] | undefined = subjectField === undefined ? undefined : [subjectField, fields[subjectField]];
    const message = this.messageFields.map((f) => fields[f]).find((v) => v !== undefined);
    const key = JSON.stringify([event, subject ?? null, message === undefined ? null : normaliseMessage(String(message))]);
    let entry = this.entries.get(key);
    if (entry !== undefined && now - entry.start >= this.windowMs) {
      this.report(entry);
      entry = undefined;
    }
    if (entry === undefined) {
      entry = { event, subject, start: now, passed: 0, suppressed: 0, level };
    }
    // Most recently used last: delete and set again.
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxKeys) this.evictOldest();
    if (entry.passed < this.limit) {
      entry.passed++;
      return true;
    }
    entry.suppressed++;
    if (LEVEL_ORDER[level] > LEVEL_ORDER[entry.level]) entry.level = level;
    this.arm(entry.start + this.windowMs);
    return false;
  }

  /** Keys currently remembered (bounded by maxKeys). */
  size(): number {
    return this.entries.size;
  }

  /** Reports every count still waiting and forgets all keys; clears the timer. */
  flush(): void {
    this.disarm();
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const e of all) this.report(e);
  }

  private evictOldest(): void {
    const oldest = this.entries.keys().next();
    if (oldest.done) return;
    const entry = this.entries.get(oldest.value)!;
    this.entries.delete(oldest.value);
    this.report(entry);
  }

  /** Ends every window that is over: its summary, if it held any back, and its key. */
  private sweep(now: number): void {
    this.disarm();
    let next = Infinity;
    for (const [key, e] of this.entries) {
      const end = e.start + this.windowMs;
      if (end <= now) {
        this.entries.delete(key);
        this.report(e);
      } else if (e.suppressed > 0) {
        next = Math.min(next, end);
      }
    }
    if (next < Infinity) this.arm(next);
  }

  private report(e: Entry): void {
    if (e.suppressed === 0) return;
    const fields: Record<string, unknown> = { suppressedEvent: e.event };
    if (e.subject !== undefined) fields[e.subject[0]] = e.subject[1];
    fields['count'] = e.suppressed;
    fields['windowS'] = this.windowMs / 1000;
    e.suppressed = 0;
    this.emit({ level: e.level, fields });
  }

  private arm(due: number): void {
    if (due >= this.timerDue) return;
    this.disarm();
    this.timerDue = due;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerDue = Infinity;
      this.sweep(this.clock.now());
    }, Math.max(0, due - this.clock.now()));
  }

  private disarm(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.timerDue = Infinity;
  }
}
