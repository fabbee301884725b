/**
 * Structured logs: an event name plus fields, one JSON object per line by default so journald
 * and log shippers can parse them. The demo swaps the sink to keep its screen readable.
 *
 * Every record goes through one pipeline, shared by a logger and its children: the level filter
 * (from an option or KERB_LOG_LEVEL, see log-level.ts), redaction of secrets (redact.ts), and
 * the rate limit on repeats (repeat-limiter.ts), before any sink sees it.
 */
import type { Clock } from '../../firmware/hal/clock.js';
import { SystemClock } from '../clock/system-clock.js';
import { configuredLogLevel, LEVEL_ORDER, type LogLevel } from './log-level.js';
import { redactFields } from './redact.js';
import { RepeatLimiter, type RepeatLimitOptions } from './repeat-limiter.js';

export type { LogLevel } from './log-level.js';

export interface LogRecord {
  time: string;
  level: LogLevel;
  event: string;
  [field: string]: unknown;
}

export type LogSink = (record: LogRecord) => void;

export const jsonLinesSink: LogSink = (record) => {
  process.stderr.write(JSON.stringify(record) + '\n');
};

export interface LogPipelineOptions {
  sink?: LogSink;
  /** A level name; when absent, KERB_LOG_LEVEL from `env`, else 'info'. A bad name throws LogLevelError. */
  level?: string;
  /** Where KERB_LOG_LEVEL is read; default process.env. */
  env?: Record<string, string | undefined>;
  /** Record times (wall) and rate-limit windows (monotonic); default the system clock. */
  clock?: Clock;
  /** Repeat limiting; default 10 records per key per minute, 1000 keys. false turns it off. */
  rateLimit?: RepeatLimitOptions | false;
}

/** Where records go: level filter, redaction, repeat limit, sink. */
export class LogPipeline {
  sink: LogSink;
  readonly level: LogLevel;
  private readonly clock: Clock;
  private readonly limiter: RepeatLimiter | undefined;

  constructor(o: LogPipelineOptions = {}) {
    this.sink = o.sink ?? jsonLinesSink;
    this.level = configuredLogLevel(o.level, o.env ?? process.env);
    this.clock = o.clock ?? new SystemClock();
    this.limiter = o.rateLimit === false ? undefined
      : new RepeatLimiter(this.clock, (s) => this.emit(s.level, 'log.suppressed', s.fields), o.rateLimit ?? {});
  }

  write(level: LogLevel, event: string, fields: Record<string, unknown>): void {
    if (LEVEL_ORDER[level] < LEVEL_ORDER[this.level]) return;
    const clean = redactFields(fields);
    if (this.limiter !== undefined && !this.limiter.admit(level, event, clean)) return;
    this.emit(level, event, clean);
  }

  /** Writes the summaries of repeats still held back and stops the limiter's timer. */
  flush(): void {
    this.limiter?.flush();
  }

  private emit(level: LogLevel, event: string, fields: Record<string, unknown>): void {
    this.sink({ time: new Date(this.clock.wallTime()).toISOString(), level, event, ...fields });
  }
}

export class Logger {
  private readonly pipeline: LogPipeline;

  /**
   * `new Logger(sink, level)` builds its own pipeline (redaction and repeat limit on, system
   * clock; without `level`, KERB_LOG_LEVEL or 'info'); `new Logger(pipeline)` shares one and
   * ignores `min`. Children always share their parent's.
   */
  constructor(target: LogSink | LogPipeline = jsonLinesSink, min?: LogLevel, private readonly base: Record<string, unknown> = {}) {
    this.pipeline = target instanceof LogPipeline ? target : new LogPipeline({ sink: target, ...(min !== undefined ? { level: min } : {}) });
  }

  child(fields: Record<string, unknown>): Logger {
    return new Logger(this.pipeline, this.pipeline.level, { ...this.base, ...fields });
  }

  /** Replaces the sink for this logger, its parent and its children (they share one pipeline). */
  setSink(sink: LogSink): void {
    this.pipeline.sink = sink;
  }

  level(): LogLevel {
    return this.pipeline.level;
  }

  /** Writes pending `log.suppressed` summaries now and clears the repeat limiter's timer; call on shutdown. */
  flush(): void {
    this.pipeline.flush();
  }

  debug(event: string, fields: Record<string, unknown> = {}): void { this.write('debug', event, fields); }
  info(event: string, fields: Record<string, unknown> = {}): void { this.write('info', event, fields); }
  warn(event: string, fields: Record<string, unknown> = {}): void { this.write('warn', event, fields); }
  error(event: string, fields: Record<string, unknown> = {}): void { this.write('error', event, fields); }

  private write(level: LogLevel, event: string, fields: Record<string, unknown>): void {
    this.pipeline.write(level, event, { ...this.base, ...fields });
  }
}

/** A logger from configuration: `createLogger({ level: process.env.KERB_LOG_LEVEL ... })`. */
export function createLogger(o: LogPipelineOptions = {}): Logger {
  return new Logger(new LogPipeline(o));
}

export interface MemoryLoggerOptions {
  /** Default 'debug', so tests see everything. */
  level?: string;
  clock?: Clock;
  /** Off by default: most tests assert on every record. */
  rateLimit?: RepeatLimitOptions | false;
}

/** A logger that keeps records in memory, for tests that assert what was said. Redaction is always on. */
export function memoryLogger(o: MemoryLoggerOptions = {}): { log: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const pipeline = new LogPipeline({
    sink: (r) => records.push(r), level: o.level ?? 'debug', rateLimit: o.rateLimit ?? false, ...(o.clock ? { clock: o.clock } : {}),
  });
  return { log: new Logger(pipeline), records };
}
