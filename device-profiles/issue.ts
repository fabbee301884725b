/**
 * An issue is an error not yet tied to a file: a code, the data path of the field at fault,
 * and related fields that may be where the cause is written (the other side of a cross-field
 * rule, the config choice that makes a pin required). Loaders place issues into files.
 */
import type { ConfigError, ConfigErrorCode } from './config-error.js';
import { locate, pathString, type DataPath } from './locate.js';
import type { SourceFile } from './source-file.js';

export interface Issue {
  code: ConfigErrorCode;
  path: DataPath;
  message: string;
  /** 'key' points at the field's name (an unknown field), 'value' at what it holds. */
  target: 'key' | 'value';
  /** Other fields involved, in the order to point at when `path` itself is not written. */
  related?: DataPath[];
  /**
   * The same problem told from another field (a rule seen from its other side). When `path` is
   * not written but an alternative's path is, the alternative is reported instead, so the path
   * printed is one the reader can find in the file.
   */
  alternatives?: Issue[];
}

export function issue(code: ConfigErrorCode, path: DataPath, message: string, related?: DataPath[]): Issue {
  return related ? { code, path, message, target: 'value', related } : { code, path, message, target: 'value' };
}

/**
 * Ties an issue to a file. `mapPath` turns the issue's paths into paths of this document (a
 * merged device config path into the override that set it); the printed path is the mapped
 * issue path, the position is that of the first candidate written in the document, else the
 * deepest written part of the issue's own path.
 */
export function placeIssue(source: SourceFile, issue: Issue, mapPath: (path: DataPath) => DataPath = (p) => p): ConfigError {
  const path = mapPath(issue.path);
  let position = locate(source, path, issue.target);
  if (!position.found) {
    const written = (issue.alternatives ?? []).find((alt) => locate(source, mapPath(alt.path)).found);
    if (written) return placeIssue(source, written, mapPath);
    for (const candidate of issue.related ?? []) {
      const found = locate(source, mapPath(candidate), 'value');
      if (found.found) {
        position = found;
        break;
      }
    }
  }
  return {
    code: issue.code,
    file: source.file,
    line: position.line,
    column: position.column,
    path: pathString(path),
    message: issue.message,
  };
}
