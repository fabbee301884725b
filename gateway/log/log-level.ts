/**
 * The log level from configuration: an option or the `KERB_LOG_LEVEL` environment variable.
 * A bad value is an error that names the setting, what it found and what it accepts, so a typo
 * in a unit file fails at start-up instead of silently logging at the default.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export class LogLevelError extends Error {
  readonly code = 'E_LOG_LEVEL';
  constructor(readonly source: string, readonly value: string) {
    super(`${source} is '${value}', which is not a log level: use one of ${LOG_LEVELS.join(', ')}`);
    this.name = 'LogLevelError';
  }
}

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

/** Parses `value` (case and surrounding spaces ignored); undefined or empty gives `fallback`. */
export function parseLogLevel(value: string | undefined, source = 'the log level', fallback: LogLevel = 'info'): LogLevel {
  if (value === undefined || value.trim() === '') return fallback;
  const level = value.trim().toLowerCase();
  if (!isLogLevel(level)) throw new LogLevelError(source, value);
  return level;
}

/**
 * The level to log at: an explicit option wins over `KERB_LOG_LEVEL`, which wins over `fallback`.
 * Throws LogLevelError (code 'E_LOG_LEVEL') on a value that is not a level.
 */
export function configuredLogLevel(
  option: string | undefined, env: Record<string, string | undefined> = process.env, fallback: LogLevel = 'info',
): LogLevel {
  if (option !== undefined) return parseLogLevel(option, 'the log level option', fallback);
  return parseLogLevel(env['KERB_LOG_LEVEL'], 'KERB_LOG_LEVEL', fallback);
}
