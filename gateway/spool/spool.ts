/**
 * The spool's front door: opens the file in the data directory (checking it, replacing a bad one)
 * and hands back the Spool, the MessageQueue the uplink sends from. How the file is kept is in
 * schema.ts and spool-store.ts; what a power cut can lose, and why, in docs/spool.md.
 */
import { queueLimits } from '../uplink/message-queue.js';
import type { Logger } from '../log/logger.js';
import { openSpoolFile } from './spool-file.js';
import { Spool, type SpoolQueueOptions } from './spool-queue.js';

export { Spool } from './spool-queue.js';
export { SpoolError, type SpoolErrorCode } from './spool-error.js';

export interface SpoolOptions extends SpoolQueueOptions {
  log: Logger;
  /** Wall time, only for the name of a moved-aside file; default Date.now. */
  wallTime?: () => number;
}

/**
 * Opens (or creates) the spool in `file`, creating its directory. A file that is unusable is
 * moved aside and replaced: `recovered` says where it went and why. Throws only SpoolError
 * E_SPOOL_OPEN, when the directory cannot hold a spool at all.
 */
export function openSpool(file: string, options: SpoolOptions): { spool: Spool; recovered?: { movedTo: string; reason: string } } {
  const started = performance.now();
  queueLimits(options.limits ?? {}); // a bad setting is refused before the file is touched
  const { store, recovered } = openSpoolFile(file, options);
  const spool = new Spool(store, file, options);
  options.log.info('spool.opened', { file, pending: spool.pendingCount(), bytes: spool.totalBytes(), ms: Math.round(performance.now() - started) });
  return recovered === undefined ? { spool } : { spool, recovered };
}

