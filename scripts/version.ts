/** Kerb's version, from the package that is running. */
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from './paths.js';

export const KERB_VERSION: string = (JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
