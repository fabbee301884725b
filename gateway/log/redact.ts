/**
 * Keeps secrets out of the logs: fields whose names say they hold one, and credentials inside
 * URLs anywhere in a string, are replaced before any sink sees the record. Applied to nested
 * objects and arrays too (an error's options, a config echo).
 */
export const REDACTED = '[redacted]';

/** Name words that mark a secret when they end the field name (`token`, `privateKey`, `mqtt_password`). */
const SECRET_WORDS = new Set(['token', 'password', 'passwd', 'passphrase', 'secret', 'key', 'authorization', 'cookie', 'credentials', 'apikey']);

/**
 * A bare `key` is a map or state key in our logs (`node.state-dropped` names the state key it
 * dropped), not a secret; `privateKey`, `apiKey`, `hmac_key` are.
 */
const NOT_SECRET = new Set(['key']);

/** Splits `privateKey`, `private_key`, `private-key`, `PRIVATE_KEY` into lower-case words. */
function words(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[^a-zA-Z0-9]+/).filter((w) => w !== '').map((w) => w.toLowerCase());
}

export function isSecretField(name: string): boolean {
  const lower = name.toLowerCase();
  if (NOT_SECRET.has(lower)) return false;
  if (SECRET_WORDS.has(lower)) return true;
  const last = words(name).at(-1);
  return last !== undefined && SECRET_WORDS.has(last);
}

/** `scheme://user:pass@host` and `scheme://token@host`: the user-info part goes. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

export function redactString(text: string): string {
  return text.includes('@') ? text.replace(URL_CREDENTIALS, `$1${REDACTED}@`) : text;
}

const MAX_DEPTH = 6;

/** A copy of `value` with secrets replaced; objects that are not plain data are kept as they are. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return redactString(value.message);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSecretField(k) ? REDACTED : redact(v, depth + 1);
  return out;
}

export function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  return redact(fields) as Record<string, unknown>;
}
