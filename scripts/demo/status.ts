/** The retained status message: JSON, because operators read it with any MQTT tool. */
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';

export const KERB_VERSION: string = (JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export function statusMessage(state: 'online' | 'offline', site: string, gateway: string, epoch: number, startedAt: number): Buffer {
  return Buffer.from(JSON.stringify({ state, site, gateway, epoch, version: KERB_VERSION, startedAt: new Date(startedAt).toISOString() }));
}
