/**
 * Moves a spool that cannot be used out of the way, keeping it for a post-mortem:
 * `spool.db` becomes `spool.db.corrupt-20260621T101500.123Z`, and its `-wal`/`-shm` follow
 * under the same new name so SQLite still pairs them when someone opens the copy.
 * The time is ISO 8601 in its basic form: no colons, so it is a valid name on any file system.
 */
import fs from 'node:fs';

const SIDE_FILES = ['-wal', '-shm'] as const;

/** `base`, or `base-1`, `base-2`, … : the first name nothing has yet, so no earlier copy is overwritten. */
export function unusedName(base: string): string {
  let name = base;
  for (let n = 1; fs.existsSync(name); n++) name = `${base}-${n}`;
  return name;
}

export function corruptName(file: string, wallMs: number): string {
  return unusedName(`${file}.corrupt-${new Date(wallMs).toISOString().replace(/[-:]/g, '')}`);
}

/**
 * Renames the file and its side files; returns the new name of the main file. Throws the file
 * system's error if the directory cannot be changed. A WAL that cannot be moved is deleted:
 * left in place, SQLite would replay it into the fresh spool.
 */
export function moveAside(file: string, wallMs: number): string {
  const target = corruptName(file, wallMs);
  if (fs.existsSync(file)) fs.renameSync(file, target);
  for (const suffix of SIDE_FILES) {
    if (!fs.existsSync(file + suffix)) continue;
    try {
      fs.renameSync(file + suffix, target + suffix);
    } catch {
      fs.rmSync(file + suffix, { force: true, recursive: true });
    }
  }
  return target;
}
