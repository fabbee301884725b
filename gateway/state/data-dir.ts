/**
 * The gateway's data directory: `<dir>/<gateway>/epoch` and `<dir>/<gateway>/spool.db`.
 * A corrupt spool is moved aside by the spool itself; a directory that cannot be written at all
 * still gives a running gateway, on an in-memory outbox, and says loudly what that costs.
 */
import path from 'node:path';
import type { Logger } from '../log/logger.js';
import { openSpool } from '../spool/spool.js';
import { SpoolError } from '../spool/spool-error.js';
import type { MessageQueue, QueueLimits } from '../uplink/message-queue.js';
import { Outbox } from '../uplink/outbox.js';
import { nextEpoch } from './epoch.js';

export interface DataDir {
  dir: string;
  epoch: number;
  queue: MessageQueue;
  /** False when the spool could not be opened and the backlog lives in memory only. */
  durable: boolean;
  /** Set when a corrupt spool was moved aside at start. */
  recovered?: { movedTo: string; reason: string };
}

export type OpenedQueue = Pick<DataDir, 'queue' | 'durable' | 'recovered'>;

/** The gateway's own folder in the data directory. */
export function gatewayDir(root: string, gateway: string): string {
  return path.resolve(root, gateway);
}

/**
 * Opens the spool in a gateway's folder. Separate from the epoch so a gateway can start its
 * lamps first: checking a large spool on a slow SD card takes seconds.
 */
export function openQueue(dir: string, log: Logger, limits: Partial<QueueLimits> = {}): OpenedQueue {
  try {
    const { spool, recovered } = openSpool(path.join(dir, 'spool.db'), { limits, log });
    return { queue: spool, durable: true, ...(recovered ? { recovered } : {}) };
  } catch (err) {
    // Only a spool that cannot be opened falls back to memory; a bad setting is the caller's bug.
    if (!(err instanceof SpoolError)) throw err;
    log.error('spool.unavailable', {
      dir, error: (err as Error).message,
      consequence: 'batches wait in memory: a restart or power cut loses what is not yet acknowledged',
    });
    return { queue: new Outbox(limits), durable: false };
  }
}

export function openDataDir(root: string, gateway: string, log: Logger, limits: Partial<QueueLimits> = {}): DataDir {
  const dir = gatewayDir(root, gateway);
  const epoch = nextEpoch(dir);
  return { dir, epoch, ...openQueue(dir, log, limits) };
}
