/**
 * The one way Kerb replaces a file it must not lose or leave half-written (keys, the epoch,
 * command counters, the held-batch journal): written beside its final name, synced, renamed
 * over it, and the directory synced, so a power cut leaves the old content or the new, never a
 * mix, and never the old entry come back after the new was reported written.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Makes a rename or removal in `dir` durable: until then a power cut can undo it. */
export function syncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes `file` atomically and durably, created with exactly `mode` (the umask can only narrow
 * it at creation): a key file appears whole and is never, even briefly, readable by others.
 */
export function writeFileAtomically(file: string, content: string | Uint8Array, mode: number): void {
  const tmp = `${file}.tmp-${process.pid}`;
  // A leftover of a crash of an earlier process with this pid (pids repeat from boot to boot
  // under systemd) would block every later write: it goes. Unlinking never follows a symlink,
  // and O_EXCL below refuses one planted in between rather than write through it.
  fs.rmSync(tmp, { force: true });
  const fd = fs.openSync(tmp, 'wx', mode);
  try {
    fs.fchmodSync(fd, mode);
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  syncDir(path.dirname(file));
}
