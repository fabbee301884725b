/**
 * JSON with object keys sorted and no whitespace: the bytes a command's signature covers.
 * The same rule as scripts/sign/canonical-json.ts (firmware bundles); the gateway may not import
 * scripts/, so it keeps its own copy, and hil-tests/commands/envelope.test.ts holds the two equal.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value).sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`canonical JSON has no ${value}`);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
  throw new TypeError(`canonical JSON has no ${typeof value}`);
}
