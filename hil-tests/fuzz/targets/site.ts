/**
 * Site files, loaded as the gateway loads them (loadSite: the file, then every profile it
 * names, overrides merged and checked). Each input is written to a temporary file; the
 * profiles directory holds copies of the real profiles the base sites name.
 */
import fc from 'fast-check';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadSite } from '../../../device-profiles/load-site.js';
import { tempDir } from '../../harness/temp-dir.js';
import { showText, violation, type FuzzTarget } from '../fuzz-target.js';
import { REPO_ROOT, repoFile } from '../repo-file.js';
import { configText } from '../text-arbitrary.js';
import { TEXT_SEEDS } from '../text-seeds.js';
import { checkResult, type ConfigInput } from './profile.js';

/** The demo street cut to its first devices: a case must stay cheap (loadSite reads every profile each time). */
const DEMO = repoFile('examples/demo-street.yaml').split('\n').slice(0, 36).join('\n');
const SITES = [DEMO, ...['device-profiles/fixtures/site-small.json', 'device-profiles/fixtures/site-override-causes.yaml', 'device-profiles/fixtures/site-broken.yaml'].map(repoFile)];
/** The profiles those sites name, copied as they are. */
const PROFILES = ['lamp-pir-pwm.yaml', 'parking-magnetometer.yaml', 'bin-ultrasonic.yaml'];

let dir: string | undefined;
/** The site file goes here; the profiles in profiles/ beneath it. */
function workDir(): string {
  if (dir === undefined) {
    dir = tempDir('kerb-fuzz-site-');
    mkdirSync(path.join(dir, 'profiles'));
    const profiles = path.join(REPO_ROOT, 'device-profiles');
    for (const f of PROFILES) copyFileSync(path.join(profiles, f), path.join(dir, 'profiles', f));
  }
  return dir;
}
const profilesDir = (): string => path.join(workDir(), 'profiles');

export const site: FuzzTarget<ConfigInput> = {
  name: 'site',
  parser: 'loadSite (yaml, Ajv, profiles, overrides)',
  arbitrary: fc.record({ json: fc.boolean(), text: configText(SITES) }),
  seeds: TEXT_SEEDS.flatMap((s) => [{ name: s.name, input: { json: false, text: s.input } }, { name: `${s.name} (.json)`, input: { json: true, text: s.input } }]),
  run({ json, text }) {
    const file = path.join(workDir(), json ? 'site.json' : 'site.yml');
    writeFileSync(file, text);
    checkResult(loadSite(file, { profilesDir: profilesDir() }));
  },
  isTyped: () => false,
  stillWorks() {
    const file = path.join(workDir(), 'good.yml');
    writeFileSync(file, SITES[0]!);
    const r = loadSite(file, { profilesDir: profilesDir() });
    violation(r.ok, 'a good site no longer loads');
  },
  show: (i) => `${i.json ? '.json ' : '.yml '}${showText(i.text)}`,
};
