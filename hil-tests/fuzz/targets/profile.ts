/**
 * Profile files: the YAML/JSON reader (parseSource) and the validation behind it (Ajv schemas,
 * rules, pin roles). The loader never throws: a bad file is a list of ConfigErrors.
 */
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { validateProfile } from '../../../device-profiles/load-profile.js';
import { parseSource } from '../../../device-profiles/source-file.js';
import type { LoadResult } from '../../../device-profiles/config-error.js';
import { showText, violation, type FuzzTarget } from '../fuzz-target.js';
import { REPO_ROOT, repoFile } from '../repo-file.js';
import { configText } from '../text-arbitrary.js';
import { TEXT_SEEDS } from '../text-seeds.js';

export interface ConfigInput {
  json: boolean;
  text: string;
}

const PROFILES = readdirSync(path.join(REPO_ROOT, 'device-profiles')).filter((f) => f.endsWith('.yaml')).map((f) => repoFile(`device-profiles/${f}`));

/** Every error names a code, a file and a position; a success has a value. */
export function checkResult(r: LoadResult<unknown>): void {
  if (r.ok) return violation(r.value !== undefined, 'ok without a value');
  violation(r.errors.length > 0, 'a failed load without errors');
  for (const e of r.errors) {
    violation(typeof e.code === 'string' && e.code.startsWith('E_CFG_') && Number.isInteger(e.line) && Number.isInteger(e.column) && typeof e.message === 'string',
      `a malformed ConfigError: ${JSON.stringify(e).slice(0, 200)}`);
  }
}

export const profile: FuzzTarget<ConfigInput> = {
  name: 'profile',
  parser: 'parseSource + validateProfile (yaml, Ajv)',
  arbitrary: fc.record({ json: fc.boolean(), text: configText(PROFILES) }),
  seeds: TEXT_SEEDS.flatMap((s) => [{ name: s.name, input: { json: false, text: s.input } }, { name: `${s.name} (.json)`, input: { json: true, text: s.input } }]),
  run({ json, text }) {
    const source = parseSource(json ? 'fuzz.json' : 'fuzz.yaml', text);
    checkResult(source);
    if (source.ok) checkResult(validateProfile('fuzz', source.value));
  },
  isTyped: () => false,
  stillWorks() {
    const source = parseSource('lamp.yaml', PROFILES[0]!);
    violation(source.ok && validateProfile('lamp', source.value).ok, 'a real profile no longer validates');
  },
  show: (i) => `${i.json ? '.json ' : '.yaml '}${showText(i.text)}`,
};
