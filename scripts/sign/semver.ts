/**
 * Semantic versions as a bundle's `fw` carries them: MAJOR.MINOR.PATCH, an optional -PRERELEASE
 * and optional +BUILD (ignored when comparing), per semver.org 2.0.0. A prerelease sorts before
 * its release: 1.5.0-rc.1 < 1.5.0. Flash uses compareVersions to refuse downgrades.
 */
import { SignError } from './sign-error.js';

export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** Dot-separated prerelease identifiers; numeric ones as numbers. Empty for a release. */
  prerelease: Array<string | number>;
  build: string[];
  text: string;
}

/** What fits a hello frame beside the id, kind and profile hash. */
export const MAX_VERSION_LENGTH = 64;

const NUMBER = '0|[1-9]\\d*';
const PRE_ID = `(?:${NUMBER}|\\d*[A-Za-z-][0-9A-Za-z-]*)`;
const SEMVER = new RegExp(`^(${NUMBER})\\.(${NUMBER})\\.(${NUMBER})(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?$`);

function invalid(text: string, why: string): SignError {
  return new SignError('E_VERSION_INVALID', `version '${text}' ${why}; expected MAJOR.MINOR.PATCH with an optional -PRERELEASE, e.g. 1.4.0 or 1.5.0-rc.1`);
}

export function parseVersion(text: string): Version {
  if (typeof text !== 'string' || text === '') throw invalid(String(text), 'is empty');
  if (text.length > MAX_VERSION_LENGTH) throw invalid(text.slice(0, 20) + '…', `is longer than ${MAX_VERSION_LENGTH} characters`);
  const m = SEMVER.exec(text);
  if (m === null) {
    if (/^[vV]\d/.test(text)) throw invalid(text, "is not semver (drop the leading 'v')");
    if (/^\d+(\.\d+)?$/.test(text)) throw invalid(text, 'is not semver (it needs all three numbers)');
    if (/(^|\.)0\d/.test(text.split(/[-+]/)[0]!)) throw invalid(text, 'is not semver (numbers have no leading zeros)');
    throw invalid(text, 'is not semver');
  }
  const [major, minor, patch] = [m[1]!, m[2]!, m[3]!].map(Number) as [number, number, number];
  if (![major, minor, patch].every(Number.isSafeInteger)) throw invalid(text, 'has a number too large to compare');
  const prerelease = m[4] === undefined ? [] : m[4].split('.').map((id) => (/^\d+$/.test(id) ? Number(id) : id));
  return { major, minor, patch, prerelease, build: m[5] === undefined ? [] : m[5].split('.'), text };
}

function compareIds(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  if (typeof a === 'number') return -1; // numeric identifiers sort before alphanumeric ones
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** -1 when a is older than b, 1 when newer, 0 when equal in precedence (build metadata ignored). */
export function compareVersions(a: string | Version, b: string | Version): -1 | 0 | 1 {
  const x = typeof a === 'string' ? parseVersion(a) : a;
  const y = typeof b === 'string' ? parseVersion(b) : b;
  const core = Math.sign(x.major - y.major) || Math.sign(x.minor - y.minor) || Math.sign(x.patch - y.patch);
  if (core !== 0) return core as -1 | 1;
  if (x.prerelease.length === 0 || y.prerelease.length === 0) {
    // A release is newer than any of its prereleases.
    return (Math.sign(y.prerelease.length - x.prerelease.length) || 0) as -1 | 0 | 1;
  }
  for (let i = 0; i < Math.min(x.prerelease.length, y.prerelease.length); i++) {
    const c = compareIds(x.prerelease[i]!, y.prerelease[i]!);
    if (c !== 0) return c as -1 | 1;
  }
  return (Math.sign(x.prerelease.length - y.prerelease.length) || 0) as -1 | 0 | 1;
}
