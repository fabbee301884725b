/**
 * Espruino's RegExp engine is small: no lookahead/lookbehind, no counted quantifiers
 * (`{3}`, `{2,4}`), no sticky/unicode (or dotAll, indices, unicode-sets) flags. This scans a
 * pattern the way a regexp parser would (escapes and character classes are literal) and
 * reports where each unsupported piece starts, as an offset into the pattern.
 */

export interface RegexpProblem {
  /** Offset into the pattern, or -1 for a flag problem. */
  offset: number;
  construct: 'regexp-lookaround' | 'regexp-counted-quantifier' | 'regexp-flag';
  rule: string;
}

const FLAG_NAMES: Record<string, string> = { y: 'sticky', u: 'unicode', s: 'dotAll', d: 'indices', v: 'unicode-sets' };

export function regexpProblems(pattern: string, flags: string): RegexpProblem[] {
  const problems: RegexpProblem[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++; // the escaped character is literal, whatever it is
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
    } else if (c === '(' && isLookaround(pattern, i)) {
      problems.push({ offset: i, construct: 'regexp-lookaround', rule: 'Espruino RegExp has no lookahead/lookbehind' });
    } else if (c === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i))) {
      problems.push({ offset: i, construct: 'regexp-counted-quantifier', rule: 'Espruino RegExp has no {n} / {n,m} quantifiers' });
    }
  }
  const bad = [...flags].filter((f) => FLAG_NAMES[f] !== undefined);
  if (bad.length > 0) {
    const named = bad.map((f) => `${FLAG_NAMES[f]} (${f})`).join(', ');
    const noun = bad.length > 1 ? 'flags' : 'flag';
    problems.push({ offset: -1, construct: 'regexp-flag', rule: `Espruino RegExp has no ${named} ${noun}` });
  }
  return problems;
}

/** `(?=`, `(?!`, `(?<=`, `(?<!` — but not a named group `(?<name>`. */
function isLookaround(pattern: string, open: number): boolean {
  if (pattern[open + 1] !== '?') return false;
  const a = pattern[open + 2];
  if (a === '=' || a === '!') return true;
  const b = pattern[open + 3];
  return a === '<' && (b === '=' || b === '!');
}

/** Splits a regular expression literal's text, `/pattern/flags`. */
export function splitRegexpLiteral(text: string): { pattern: string; flags: string } {
  const close = text.lastIndexOf('/');
  return { pattern: text.slice(1, close), flags: text.slice(close + 1) };
}
