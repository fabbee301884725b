/** Loads a site file for a command, turning every configuration error into one exit-3 report. */
import { formatErrors, loadSite } from '../device-profiles/index.js';
import type { Site } from '../device-profiles/types.js';
import { CliError, EXIT } from './cli-error.js';

export function loadSiteOrFail(file: string, profilesDir: string): Site {
  const result = loadSite(file, { profilesDir });
  if (result.ok) return result.value;
  const count = result.errors.length;
  throw new CliError(`${count} error${count === 1 ? '' : 's'} in the configuration:\n${formatErrors(result.errors)}`, EXIT.invalid);
}
