/** Where the package's own files are, whatever the current directory (`npx kerb` runs anywhere). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/scripts/paths.js -> the package root. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PROFILES_DIR = path.join(PACKAGE_ROOT, 'device-profiles');
export const DEMO_SITE = path.join(PACKAGE_ROOT, 'examples', 'demo-street.yaml');
/** The default data directory: spool and epoch live here (override with --data-dir). */
export const DEFAULT_DATA_DIR = '.kerb';
