/**
 * The SQLite spool against the MessageQueue contract, with a `reopen` that closes the file and
 * opens it again as a restarted gateway would, so the contract's restart test runs too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { memoryLogger } from '../../gateway/log/logger.js';
import { openSpool, type Spool } from '../../gateway/spool/spool.js';
import type { MessageQueue } from '../../gateway/uplink/message-queue.js';
import { queueContract } from './message-queue-contract.js';
import { tempDir } from '../harness/temp-dir.js';

const root = tempDir('kerb-spool-contract-');
let n = 0;
const { log } = memoryLogger();

queueContract('SQLite spool', {
  create: (limits) => openSpool(path.join(root, `q${++n}`, 'spool.db'), { limits, log }).spool,
  reopen: (queue: MessageQueue, limits) => {
    const file = (queue as Spool).file;
    queue.close();
    return openSpool(file, { limits, log }).spool;
  },
});

process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
