/**
 * A site file's `operators` (whose signed commands the gateway accepts) and `corridors` (named
 * routes of lamps for the emergency corridor). The schema has checked their shape; this reads
 * each operator's public key and checks every corridor against the site's devices. Every
 * problem comes back at once, placed at its field.
 *
 * An operator's `publicKey` is PEM text when it starts with '-----BEGIN', else a file path,
 * relative to the site file. A private key is refused outright: it must never sit in a site
 * file or beside one.
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap } from './check-device.js';
import type { ConfigError } from './config-error.js';
import { issue, placeIssue } from './issue.js';
import type { SourceFile } from './source-file.js';
import type { Operator, SiteDevice } from './types.js';

type Read<T> = { value: T; errors: ConfigError[] };

function keyText(source: SourceFile, value: string): { text: string; from: string } | { error: string } {
  if (value.trimStart().startsWith('-----BEGIN')) return { text: value, from: 'inline' };
  const file = path.resolve(path.dirname(source.file), value);
  try {
    return { text: readFileSync(file, 'utf8'), from: file };
  } catch (err) {
    return { error: `cannot read the public key file ${file}: ${(err as Error).message}` };
  }
}

function checkKey(text: string, from: string): string | undefined {
  if (text.includes('PRIVATE KEY-----')) {
    return `${from === 'inline' ? 'this' : from} is a private key: only the operator's BASE.pub belongs in a site file; ` +
      'treat the private key as leaked and make a new pair with `kerb keygen`';
  }
  try {
    const key = createPublicKey(text);
    if (key.asymmetricKeyType !== 'ed25519') return `expected an ed25519 public key (BASE.pub from \`kerb keygen\`), found a ${key.asymmetricKeyType ?? 'unknown'} key`;
  } catch (err) {
    return `not a PEM public key (${(err as Error).message}); expected BASE.pub from \`kerb keygen\``;
  }
  return undefined;
}

export function readOperators(source: SourceFile, raw: unknown): Read<Operator[]> {
  const out: Read<Operator[]> = { value: [], errors: [] };
  if (!Array.isArray(raw)) return out;
  const seen = new Set<string>();
  raw.forEach((op, i) => {
    if (!isMap(op) || typeof op.id !== 'string' || typeof op.publicKey !== 'string') return; // the schema said why
    const fail = (field: string, message: string): void => {
      out.errors.push(placeIssue(source, issue('E_CFG_KEY', ['operators', i, field], message)));
    };
    if (seen.has(op.id)) fail('id', `operator '${op.id}' is listed twice`);
    seen.add(op.id);
    const read = keyText(source, op.publicKey);
    if ('error' in read) return fail('publicKey', read.error);
    const bad = checkKey(read.text, read.from);
    if (bad !== undefined) return fail('publicKey', bad);
    out.value.push({ id: op.id, publicKeyPem: read.text, source: read.from });
  });
  return out;
}

/** `listed`: every device id the site file lists, `devices` those that resolved (a device with its own errors is not judged again here). */
export function readCorridors(source: SourceFile, raw: unknown, listed: Set<string>, devices: SiteDevice[]): Read<{ [name: string]: string[] }> {
  const out: Read<{ [name: string]: string[] }> = { value: {}, errors: [] };
  if (!isMap(raw)) return out;
  const kinds = new Map(devices.map((d) => [d.id, d.kind]));
  for (const [name, lamps] of Object.entries(raw)) {
    if (!Array.isArray(lamps)) continue;
    lamps.forEach((id, i) => {
      if (typeof id !== 'string') return;
      const kind = kinds.get(id);
      if (kind === 'lamp' || (kind === undefined && listed.has(id))) return;
      const why = kind === undefined ? `no device '${id}' on this site` : `'${id}' is a ${kind}, not a lamp`;
      out.errors.push(placeIssue(source, issue('E_CFG_CORRIDOR', ['corridors', name, i], `corridor '${name}': ${why}`)));
    });
    out.value[name] = lamps.filter((id): id is string => typeof id === 'string');
  }
  return out;
}
