/**
 * Loads every profile in a directory: each *.yaml, *.yml or *.json directly inside it (not in
 * sub-directories, so schema/ and fixtures/ are never picked up). Errors from all files at once.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sortErrors, type ConfigError, type LoadResult } from './config-error.js';
import { loadProfile, profileNameOf } from './load-profile.js';
import type { Profile } from './types.js';

export interface ProfileDirectory {
  dir: string;
  /** Every name a file in the directory gives, loaded or not, sorted. */
  names: string[];
  /** The profiles that loaded cleanly. */
  profiles: { [name: string]: Profile };
  /** Errors per profile name (for a site, which reports only the profiles it uses). */
  errorsByName: { [name: string]: ConfigError[] };
  /** Errors about the directory itself. */
  dirErrors: ConfigError[];
}

const PROFILE_FILE = /\.(ya?ml|json)$/i;

export function readProfileDirectory(dir: string): ProfileDirectory {
  const result: ProfileDirectory = { dir, names: [], profiles: {}, errorsByName: {}, dirErrors: [] };
  let files: string[];
  try {
    files = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && PROFILE_FILE.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    result.dirErrors.push({ code: 'E_CFG_READ', file: dir, line: 0, column: 0, path: '', message: 'cannot read the profiles directory: ' + reason });
    return result;
  }
  const fileOf: { [name: string]: string } = {};
  for (const fileName of files) {
    const file = join(dir, fileName);
    const name = profileNameOf(fileName);
    if (fileOf[name] !== undefined) {
      result.errorsByName[name] = (result.errorsByName[name] ?? []).concat({
        code: 'E_CFG_PROFILE_NAME', file, line: 0, column: 0, path: '',
        message: "profile '" + name + "' is defined twice: here and in " + fileOf[name],
      });
      delete result.profiles[name];
      continue;
    }
    fileOf[name] = file;
    result.names.push(name);
    const loaded = loadProfile(file);
    if (loaded.ok) result.profiles[name] = loaded.value;
    else result.errorsByName[name] = loaded.errors;
  }
  return result;
}

export function loadProfiles(dir: string): LoadResult<{ [name: string]: Profile }> {
  const read = readProfileDirectory(dir);
  const errors = read.dirErrors.concat(...Object.values(read.errorsByName));
  return errors.length > 0 ? { ok: false, errors: sortErrors(errors) } : { ok: true, value: read.profiles };
}
