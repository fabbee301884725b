/**
 * The profile hash a node reports in its hello: the first 8 hex digits of SHA-256 over the
 * device's kind, pins and config as canonical JSON (keys sorted). `kerb build` bakes it into the
 * bundle from what it inlines; the gateway computes it from the site file. Equal hashes mean the
 * node runs exactly the configuration the site file says; a technician who flashed last month's
 * profile is told so.
 */
import { createHash } from 'node:crypto';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = canonical((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

export function profileHash(device: { kind: string; pins: Record<string, string>; config: unknown }): string {
  const text = JSON.stringify(canonical({ kind: device.kind, pins: device.pins, config: device.config }));
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}
