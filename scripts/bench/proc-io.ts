/**
 * This process's I/O counters from /proc/self/io: `wchar` (bytes handed to write()) and
 * `write_bytes` (bytes the kernel sent to the block device, what wears an SD card).
 * Undefined where /proc is not there (not Linux).
 */
import fs from 'node:fs';

export interface IoCounters {
  wchar: number;
  writeBytes: number;
}

export function readIo(): IoCounters | undefined {
  let text: string;
  try {
    text = fs.readFileSync('/proc/self/io', 'utf8');
  } catch {
    return undefined;
  }
  const field = (name: string): number => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { wchar: field('wchar'), writeBytes: field('write_bytes') };
}

const TMPFS_MAGIC = 0x01021994;

/** True when `dir` is on tmpfs, which never writes to a device: wear measured there reads as 0. */
export function onTmpfs(dir: string): boolean {
  return fs.statfsSync(dir).type === TMPFS_MAGIC;
}
