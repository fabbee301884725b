/**
 * The gateway's epoch: a counter persisted in the data directory and increased at every start,
 * so `{gateway, epoch, seq}` identifies a batch uniquely even though `seq` restarts at 1.
 * Written atomically and durably (durable-file.ts), so a power cut leaves the old or the new value.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomically } from './durable-file.js';

export function nextEpoch(dataDir: string): number {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'epoch');
  let previous = 0;
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, 'utf8').trim();
    if (!/^\d+$/.test(text)) throw new Error(`${file}: expected a non-negative integer epoch, found '${text.slice(0, 40)}'`);
    previous = Number(text);
  }
  const next = previous + 1;
  // Durable, directory entry included: a power cut soon after boot must not bring the old epoch
  // back, or {epoch, seq} would repeat with new content.
  writeFileAtomically(file, `${next}\n`, 0o644);
  return next;
}
