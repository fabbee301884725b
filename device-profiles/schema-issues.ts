/**
 * Turns ajv's errors into issues a technician can act on: the field's path, what was expected
 * and what was found ('must be >= 1 (got 0)', "is not a known field; did you mean 'holdS'?").
 * Needs ajv's `verbose` option (for the offending data and the parent schema).
 */
import type { ErrorObject } from 'ajv';
import type { DataPath } from './locate.js';
import type { Issue } from './issue.js';
import { closest, quotedList } from './suggest.js';

const PATTERN_WORDS: { [pattern: string]: string } = {
  '^[a-z0-9-]+$': "may contain only lowercase letters, digits and '-'",
  '^[A-Za-z0-9_.:-]+$': 'may contain only letters, digits and _ . : -',
  '^[a-z][A-Za-z0-9]*$': 'must start with a lowercase letter and contain only letters and digits',
};

const TYPE_WORDS: { [type: string]: string } = {
  number: 'a number', integer: 'an integer', string: 'a string', boolean: 'true or false',
  object: 'a map', array: 'a list', null: 'empty',
};

/** Issues for one validator run, with paths relative to the data that was validated. */
export function schemaIssues(errors: ErrorObject[] | null | undefined, data: unknown): Issue[] {
  const all = errors ?? [];
  const nameErrors = all.filter((e) => e.keyword === 'propertyNames');
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const e of all) {
    if (e.keyword === 'if' || isInsidePropertyName(e, nameErrors)) continue;
    const found = e.keyword === 'propertyNames' ? propertyNameIssue(e, all, data) : toIssue(e, data);
    const key = found.path.join('\u0000') + '\u0000' + found.message;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(found);
    }
  }
  return issues;
}

function toIssue(e: ErrorObject, data: unknown): Issue {
  const path = toPath(e.instancePath, data);
  const got = ' (got ' + describe(e.data) + ')';
  const p = e.params as { [name: string]: unknown };
  switch (e.keyword) {
    case 'required': {
      const field = String(p.missingProperty);
      const description = fieldDescription(e.parentSchema, field);
      return value('E_CFG_REQUIRED', path.concat(field), 'is required but missing' + (description ? ' (' + description + ')' : ''));
    }
    case 'additionalProperties': {
      const field = String(p.additionalProperty);
      const known = Object.keys((e.parentSchema?.properties as object | undefined) ?? {});
      const guess = closest(field, known);
      const hint = guess ? "; did you mean '" + guess + "'?" : ' (known fields: ' + known.join(', ') + ')';
      return { code: 'E_CFG_UNKNOWN_FIELD', path: path.concat(field), message: 'is not a known field' + hint, target: 'key' };
    }
    case 'false schema':
      return { code: 'E_CFG_UNKNOWN_FIELD', path, message: 'is not allowed here' + got, target: 'key' };
    case 'type': {
      const types = ([] as unknown[]).concat(p.type).map((t) => TYPE_WORDS[String(t)] ?? String(t));
      return value('E_CFG_TYPE', path, 'must be ' + types.join(' or ') + got);
    }
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return value('E_CFG_RANGE', path, 'must be ' + String(p.comparison) + ' ' + String(p.limit) + got);
    case 'minLength':
      return value('E_CFG_RANGE', path, 'must be at least ' + String(p.limit) + ' characters long' + got);
    case 'maxLength':
      return value('E_CFG_RANGE', path, 'must be at most ' + String(p.limit) + ' characters long' + got);
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      const guess = typeof e.data === 'string' ? closest(e.data, allowed) : null;
      return value('E_CFG_VALUE', path, 'must be ' + quotedList(allowed) + got + (guess ? "; did you mean '" + guess + "'?" : ''));
    }
    case 'const':
      return value('E_CFG_VALUE', path, 'must be ' + JSON.stringify(p.allowedValue) + got);
    case 'pattern': {
      const pattern = String(p.pattern);
      return value('E_CFG_VALUE', path, (PATTERN_WORDS[pattern] ?? 'must match ' + pattern) + got);
    }
    default:
      return value('E_CFG_SCHEMA', path, String(e.message) + got);
  }
}

/** ajv reports a bad property name twice: the rule it broke, then 'property name must be valid'. */
function propertyNameIssue(e: ErrorObject, all: ErrorObject[], data: unknown): Issue {
  const name = String((e.params as { propertyName: unknown }).propertyName);
  const inner = all.find((x) => x.keyword !== 'propertyNames' && x.instancePath === e.instancePath && x.data === name);
  const why = inner ? toIssue(inner, data).message.replace(/ \(got .*$/, '') : 'is not a valid name';
  return { code: 'E_CFG_VALUE', path: toPath(e.instancePath, data).concat(name), message: 'is not a valid name: ' + why, target: 'key' };
}

function isInsidePropertyName(e: ErrorObject, nameErrors: ErrorObject[]): boolean {
  return e.keyword !== 'propertyNames' && nameErrors.some((n) =>
    n.instancePath === e.instancePath && (n.params as { propertyName: unknown }).propertyName === e.data);
}

/** '/devices/3/id' -> ['devices', 3, 'id']; a segment is a number only where the data is a list. */
export function toPath(pointer: string, data: unknown): DataPath {
  const path: DataPath = [];
  let node: unknown = data;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      path.push(Number(segment));
      node = node[Number(segment)];
    } else {
      path.push(segment);
      node = node !== null && typeof node === 'object' ? (node as { [k: string]: unknown })[segment] : undefined;
    }
  }
  return path;
}

/** How a found value is shown after 'got': strings quoted, containers by kind. */
export function describe(found: unknown): string {
  if (found === null || found === undefined) return 'nothing';
  if (typeof found === 'string') return JSON.stringify(found.length > 40 ? found.slice(0, 37) + '...' : found);
  if (Array.isArray(found)) return 'a list';
  if (typeof found === 'object') return 'a map';
  return String(found);
}

/** The missing field's description, else (for a conditional requirement) the branch's own. */
function fieldDescription(parentSchema: unknown, field: string): string {
  const parent = parentSchema as { description?: unknown; properties?: { [k: string]: { description?: unknown } } } | undefined;
  const description = parent?.properties?.[field]?.description ?? parent?.description;
  return typeof description === 'string' ? description.split(/(?<=\.) /)[0].replace(/\.$/, '') : '';
}

function value(code: Issue['code'], path: DataPath, message: string): Issue {
  return { code, path, message, target: 'value' };
}
