/**
 * The gateway's epoch: a counter persisted in the data directory and increased at every start,
 * so `{gateway, epoch, seq}` identifies a batch uniquely even though `seq` restarts at 1.
 * Written to a temporary file, synced and renamed, so a power cut leaves the old or the new value.
 */
import fs from 'node:fs';
import path from 'node:path';

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
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, `${next}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  // The rename is durable only once the directory entry is: without this a power cut soon
  // after boot can bring the old epoch back, and {epoch, seq} would repeat with new content.
  const dirFd = fs.openSync(dataDir, 'r');
  try {
    fs.fsyncSync(dirFd);
  } finally {
    fs.closeSync(dirFd);
  }
  return next;
}
