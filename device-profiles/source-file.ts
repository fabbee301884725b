/**
 * Reads a YAML or JSON file into plain data while keeping the parsed document, so every later
 * error can be traced back to a line and column. JSON files are parsed by the YAML parser too
 * (JSON is YAML 1.2), which gives them positions; JSON.parse then confirms they are strict JSON.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { ConfigError, LoadResult } from './config-error.js';

export interface SourceFile {
  file: string;
  doc: Document;
  lineCounter: LineCounter;
  /** The document as plain data (aliases resolved); not yet validated. */
  data: unknown;
}

export function readSource(file: string): LoadResult<SourceFile> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { ok: false, errors: [at(file, 0, 0, 'E_CFG_READ', 'cannot read the file: ' + reason)] };
  }
  return parseSource(file, text);
}

/** Parses text already in memory; `file` only names it in errors and picks JSON by extension. */
export function parseSource(file: string, text: string): LoadResult<SourceFile> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const errors: ConfigError[] = doc.errors.map((e) => {
    const pos = e.linePos ? e.linePos[0] : lineCounter.linePos(e.pos[0]);
    return at(file, pos.line, pos.col, 'E_CFG_SYNTAX', firstSentence(e.message));
  });
  if (/\.json$/i.test(file) && errors.length === 0) {
    const jsonError = checkStrictJson(text, lineCounter, file);
    if (jsonError) errors.push(jsonError);
  }
  if (errors.length > 0) return { ok: false, errors };
  try {
    return { ok: true, value: { file, doc, lineCounter, data: doc.toJS() } };
  } catch (err) {
    // toJS refuses documents whose aliases expand beyond a limit (the "billion laughs" attack).
    const reason = err instanceof Error ? err.message : String(err);
    return { ok: false, errors: [at(file, 1, 1, 'E_CFG_SYNTAX', 'cannot expand the document: ' + reason)] };
  }
}

function checkStrictJson(text: string, lineCounter: LineCounter, file: string): ConfigError | null {
  try {
    JSON.parse(text);
    return null;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const pos = lineCounter.linePos(jsonErrorOffset(message, text));
    const reason = message.replace(/ in JSON at position \d+.*$/s, '').replace(/, (\.\.\.)?"[\s\S]*"(\.\.\.)? is not valid JSON$/, '');
    return at(file, pos.line, pos.col, 'E_CFG_SYNTAX', 'not valid JSON: ' + reason);
  }
}

/**
 * V8 gives most JSON errors 'at position N'; 'Unexpected token' errors instead quote the
 * token and a piece of the text around it, which we find again in the text.
 */
function jsonErrorOffset(message: string, text: string): number {
  const position = /at position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  if (/end of JSON input/.test(message)) return text.length;
  const quoted = /^Unexpected token '([\s\S])', (?:\.\.\.)?"([\s\S]*)"(?:\.\.\.)? is not valid JSON$/.exec(message);
  if (quoted) {
    const excerpt = quoted[2];
    const start = text.indexOf(excerpt);
    const within = excerpt.indexOf(quoted[1]);
    if (start >= 0 && within >= 0) return start + within;
  }
  return 0;
}

/** yaml's pretty messages end with ' at line L, column C:' and a source excerpt; we keep the reason. */
function firstSentence(message: string): string {
  const cut = message.indexOf(' at line ');
  return cut > 0 ? message.slice(0, cut) : message.split('\n')[0];
}

function at(file: string, line: number, column: number, code: ConfigError['code'], message: string): ConfigError {
  return { code, file, line, column, path: '', message };
}
