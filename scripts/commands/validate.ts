/** `kerb validate`: checks every profile and, if given, a site file; lists every error at once. */
import path from 'node:path';
import { formatErrors, loadProfiles, loadSite } from '../../device-profiles/index.js';
import { parse, stringOption } from '../args.js';
import { EXIT } from '../cli-error.js';
import { PROFILES_DIR } from '../paths.js';

const help = {
  usage: 'kerb validate [--profiles DIR] [SITE-FILE]',
  description: 'Checks the device profiles in DIR (default: the shipped device-profiles/) and, when given, a\n' +
    'site file against them. Every error is listed with file, line and field; exits 3 if any.',
  options: [['--profiles DIR', 'directory of <name>.yaml profiles']] as Array<[string, string]>,
  examples: ['kerb validate', 'kerb validate examples/demo-street.yaml', 'kerb validate --profiles ./my-profiles site.yaml'],
};

export async function run(argv: string[]): Promise<number> {
  const args = parse(argv, { profiles: { type: 'string' } }, help, true);
  if (args === undefined) return EXIT.ok;
  const profilesDir = path.resolve(stringOption(args.values, 'profiles') ?? PROFILES_DIR);
  const profiles = loadProfiles(profilesDir);
  const errors = profiles.ok ? [] : [...profiles.errors];
  let summary = profiles.ok ? `${Object.keys(profiles.value).length} profiles in ${profilesDir} are valid` : '';
  for (const file of args.positionals) {
    const site = loadSite(file, { profilesDir });
    if (site.ok) summary += `\n${file}: site '${site.value.site}', gateway '${site.value.gateway}', ${site.value.devices.length} devices: valid`;
    else errors.push(...site.errors);
  }
  if (errors.length > 0) {
    process.stderr.write(`${formatErrors(errors)}\n${errors.length} error${errors.length === 1 ? '' : 's'}\n`);
    return EXIT.invalid;
  }
  process.stdout.write(summary.trim() + '\n');
  return EXIT.ok;
}
