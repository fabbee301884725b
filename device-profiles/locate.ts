/**
 * Maps a data path (['devices', 3, 'overrides', 'config', 'holdS']) to the line and column of the
 * YAML node it names, and to the printed form 'devices[3].overrides.config.holdS'.
 */
import { isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { SourceFile } from './source-file.js';

export type DataPath = Array<string | number>;

export interface Position {
  line: number;
  column: number;
  /** False when the path leads off the document; the position is then its deepest existing part. */
  found: boolean;
}

/** 'config.schedule.source', 'devices[3].id', 'pins["odd key"]'. */
export function pathString(path: DataPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += '[' + segment + ']';
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += (out === '' ? '' : '.') + segment;
    else out += '[' + JSON.stringify(segment) + ']';
  }
  return out;
}

/**
 * Where `path` is written. target 'key' points at the field's name (unknown fields), 'value' at
 * its value (wrong type, out of range). A path that does not exist (a missing required field)
 * points at the key of its deepest existing parent, e.g. 'config:' for a missing config.holdS.
 */
export function locate(source: SourceFile, path: DataPath, target: 'key' | 'value' = 'value'): Position {
  let node: unknown = source.doc.contents;
  let key: unknown = null;
  let found = true;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(source.doc);
    let next: { key: unknown; value: unknown } | null = null;
    if (isMap(node)) {
      const pair = node.items.find((p) => keyName(p.key) === String(segment));
      if (pair) next = { key: pair.key, value: pair.value };
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      next = { key: null, value: node.items[segment] };
    }
    if (next === null) {
      found = false;
      break;
    }
    key = next.key;
    node = next.value;
  }
  const useKey = key !== null && (!found || target === 'key' || isEmpty(node));
  const offset = startOf(useKey ? key : node) ?? startOf(key) ?? 0;
  const pos = source.lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col, found };
}

/** True when the path names a node that is written in the document. */
export function exists(source: SourceFile, path: DataPath): boolean {
  return locate(source, path).found;
}

function keyName(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function startOf(node: unknown): number | undefined {
  const range = (node as Node | null)?.range;
  return range ? range[0] : undefined;
}

/** `holdS:` with nothing after it: the null scalar has no text of its own to point at. */
function isEmpty(node: unknown): boolean {
  if (node === null || node === undefined) return true;
  return isScalar(node) && node.range !== undefined && node.range !== null && node.range[0] === node.range[1];
}
