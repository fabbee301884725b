/**
 * The gateway's data directory: `<dir>/<gateway>/epoch` and `<dir>/<gateway>/spool.db`.
 * A corrupt spool is moved aside by the spool itself; a directory that cannot be written at all
 * still gives a running gateway, on an in-memory outbox, and says loudly what that costs.
 */
import path from 'node:path';
import type { Logger } from '../log/logger.js';
import { openSpool } from '../spool/spool.js';
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

export function openDataDir(root: string, gateway: string, log: Logger, limits: Partial<QueueLimits> = {}): DataDir {
  const dir = path.resolve(root, gateway);
  const epoch = nextEpoch(dir);
  try {
    const { spool, recovered } = openSpool(path.join(dir, 'spool.db'), { limits, log });
    return { dir, epoch, queue: spool, durable: true, ...(recovered ? { recovered } : {}) };
  } catch (err) {
    log.error('spool.unavailable', {
      dir, error: (err as Error).message,
      consequence: 'batches wait in memory: a restart or power cut loses what is not yet acknowledged',
    });
    return { dir, epoch, queue: new Outbox(limits), durable: false };
  }
}
