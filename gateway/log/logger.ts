/**
 * Structured logs: an event name plus fields, one JSON object per line by default so journald
 * and log shippers can parse them. The demo swaps the sink to keep its screen readable.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogRecord {
  time: string;
  level: LogLevel;
  event: string;
  [field: string]: unknown;
}

export type LogSink = (record: LogRecord) => void;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export const jsonLinesSink: LogSink = (record) => {
  process.stderr.write(JSON.stringify(record) + '\n');
};

export class Logger {
  constructor(private sink: LogSink = jsonLinesSink, private min: LogLevel = 'info', private base: Record<string, unknown> = {}) {}

  child(fields: Record<string, unknown>): Logger {
    return new Logger(this.sink, this.min, { ...this.base, ...fields });
  }

  setSink(sink: LogSink): void {
    this.sink = sink;
  }

  debug(event: string, fields: Record<string, unknown> = {}): void { this.write('debug', event, fields); }
  info(event: string, fields: Record<string, unknown> = {}): void { this.write('info', event, fields); }
  warn(event: string, fields: Record<string, unknown> = {}): void { this.write('warn', event, fields); }
  error(event: string, fields: Record<string, unknown> = {}): void { this.write('error', event, fields); }

  private write(level: LogLevel, event: string, fields: Record<string, unknown>): void {
    if (ORDER[level] < ORDER[this.min]) return;
    this.sink({ time: new Date().toISOString(), level, event, ...this.base, ...fields });
  }
}

/** A logger that keeps records in memory, for tests that assert what was said. */
export function memoryLogger(): { log: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  return { log: new Logger((r) => records.push(r), 'debug'), records };
}
