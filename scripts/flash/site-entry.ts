/**
 * The site file's entry for a provisioned node: printed for pasting, or added to the file
 * in place. Adding keeps the file's comments and layout (yaml's Document API), refuses an id the
 * site already has, and checks the result with the site loader before it replaces the file, so
 * a provisioning run can never leave a gateway a site file it would refuse at its next start.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, parseDocument } from 'yaml';
import { formatErrors, loadSite } from '../../device-profiles/index.js';
import { FlashError } from './flash-error.js';

export interface SiteEntry {
  id: string;
  profile: string;
  /** The port on the gateway the node's cable goes to (not the technician's laptop port). */
  port: string;
  baud: number;
}

function entryObject(e: SiteEntry): Record<string, unknown> {
  return { id: e.id, profile: e.profile, transport: { type: 'serial', port: e.port, ...(e.baud === 115200 ? {} : { baud: e.baud }) } };
}

export function siteSnippet(e: SiteEntry): string {
  const transport = `{ type: serial, port: ${e.port}${e.baud === 115200 ? '' : `, baud: ${e.baud}`} }`;
  return `  - id: ${e.id}\n    profile: ${e.profile}\n    transport: ${transport}\n`;
}

function siteError(file: string, why: string): FlashError {
  return new FlashError('E_PROVISIONED', `cannot add the node to ${file}: ${why}`, 'paste the printed snippet by hand, or fix the site file and run kerb provision again');
}

export function addToSite(file: string, e: SiteEntry, profilesDir: string): void {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw siteError(file, (err as Error).message);
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw siteError(file, `it is not valid YAML (${doc.errors[0]!.message})`);
  const devices = doc.get('devices');
  if (!isSeq(devices)) throw siteError(file, "it has no 'devices:' list");
  for (const item of devices.items) {
    if (isMap(item) && item.get('id') === e.id) throw siteError(file, `it already has a device '${e.id}'`);
  }
  devices.add(doc.createNode(entryObject(e), { flow: false }));
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.kerb-${process.pid}`);
  fs.writeFileSync(tmp, doc.toString());
  try {
    const check = loadSite(tmp, { profilesDir });
    if (!check.ok) throw siteError(file, `the result would not load:\n${formatErrors(check.errors)}`);
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
