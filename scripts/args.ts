/**
 * Argument parsing for every command on node:util's parseArgs, with usage errors that name the
 * command and a --help that always shows an example.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, EXIT } from './cli-error.js';

export interface CommandHelp {
  usage: string;
  description: string;
  options: Array<[string, string]>;
  examples: string[];
}

export function formatHelp(help: CommandHelp): string {
  const width = Math.max(0, ...help.options.map(([o]) => o.length));
  return [
    `usage: ${help.usage}`, '', help.description, '',
    ...(help.options.length ? ['options:', ...help.options.map(([o, d]) => `  ${o.padEnd(width)}  ${d}`), ''] : []),
    'examples:', ...help.examples.map((e) => `  ${e}`), '',
  ].join('\n');
}

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Parses argv; returns undefined after printing help when --help was given. */
export function parse(argv: string[], options: Options, help: CommandHelp, allowPositionals = false): Parsed | undefined {
  let parsed: Parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true }) as Parsed;
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${formatHelp(help)}`, EXIT.usage);
  }
  if (parsed.values.help) {
    process.stdout.write(formatHelp(help));
    return undefined;
  }
  return parsed;
}

export function numberOption(value: string | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new CliError(`--${name} must be a number >= ${min}, got '${value}'`, EXIT.usage);
  return n;
}

export function stringOption(values: Parsed['values'], name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

const BROKER_SCHEMES = ['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'tls:', 'ws:', 'wss:'];

/** Checks a --broker value before anything connects, so a typo is a usage error, not a stack. */
export function brokerUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`--broker '${value}' is not a URL; expected e.g. mqtt://localhost:1883`, EXIT.usage);
  }
  if (!BROKER_SCHEMES.includes(url.protocol) || url.hostname === '') {
    throw new CliError(`--broker '${value}' must be mqtt://, mqtts://, ws:// or wss:// with a host, e.g. mqtt://localhost:1883`, EXIT.usage);
  }
  return value;
}
