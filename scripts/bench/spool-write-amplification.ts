/**
 * How many bytes the spool writes to disk for each byte of batch it stores: the SD card's wear.
 * Reads this process's /proc/self/io around each phase (Linux only):
 * - wchar: bytes handed to write() (WAL frames, checkpoints), whatever the kernel does with them;
 * - write_bytes: bytes the kernel must send to the device, in whole 4 KiB page-cache pages,
 *   which is what an fsync per commit costs on top (the WAL's last page is written again by the
 *   next commit). Neither counts the file system's own journal nor the card's internal copying.
 * The data directory must be on a real disk: tmpfs never writes to a device, so it is refused.
 *
 *   node dist/scripts/bench/spool-write-amplification.js [data-dir] [batches] [deleteEvery]
 * (data-dir defaults to a fresh directory under the current one, removed afterwards)
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger } from '../../gateway/log/logger.js';
import { openSpool, type Spool } from '../../gateway/spool/spool.js';
import { onTmpfs, readIo } from './proc-io.js';

export interface PhaseFigures {
  /** Payload bytes stored or acknowledged in the phase. */
  payloadBytes: number;
  /** wchar ÷ payload bytes. */
  written: number;
  /** write_bytes ÷ payload bytes. */
  toDevice: number;
}

export interface WearFigures {
  /** Batches stored one per transaction, the broker unreachable. */
  store: PhaseFigures;
  /** The backlog sent and acknowledged, then the spool closed (the last checkpoint). */
  drain: PhaseFigures;
  /** Store and drain together: bytes written per byte that went through the spool. */
  backlog: PhaseFigures;
  /** Online: each batch stored, sent and acknowledged before the next one arrives. */
  online: PhaseFigures;
}

function io(): { wchar: number; writeBytes: number } {
  const counters = readIo();
  if (counters === undefined) throw new Error('/proc/self/io is not available: write amplification is measured on Linux only');
  return counters;
}

function measure(payloadBytes: number, work: () => void): PhaseFigures {
  const before = io();
  work();
  const after = io();
  return { payloadBytes, written: (after.wchar - before.wchar) / payloadBytes, toDevice: (after.writeBytes - before.writeBytes) / payloadBytes };
}

/** Batches of about 3.3 KB (3.2–3.4 KB), random bytes as compressed CBOR nearly is. */
export function syntheticBatches(n: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => crypto.randomBytes(3_200 + ((i * 37) % 200)));
}

/** Stores `payloads` one batch per commit, as a gateway does, in each of the phases above. */
export function measureWriteAmplification(dataDir: string, payloads: Buffer[], deleteEvery?: number): WearFigures {
  const log = new Logger(() => {});
  const options = { log, limits: { maxBytes: 1024 ** 3 }, ...(deleteEvery === undefined ? {} : { deleteEvery }) };
  const total = payloads.reduce((sum, p) => sum + p.length, 0);
  const drainAll = (spool: Spool): void => {
    for (let msg = spool.next(); msg !== undefined; msg = spool.next()) spool.acknowledge(msg.id);
  };

  fs.rmSync(path.join(dataDir, 'backlog'), { recursive: true, force: true });
  let spool = openSpool(path.join(dataDir, 'backlog', 'spool.db'), options).spool;
  const store = measure(total, () => payloads.forEach((p, i) => spool.add('kerb/v1/site/gw/batch', p, 'telemetry', i)));
  const drain = measure(total, () => {
    drainAll(spool);
    spool.close();
  });

  fs.rmSync(path.join(dataDir, 'online'), { recursive: true, force: true });
  spool = openSpool(path.join(dataDir, 'online', 'spool.db'), options).spool;
  const online = measure(total, () => {
    payloads.forEach((p, i) => {
      spool.add('kerb/v1/site/gw/batch', p, 'telemetry', i);
      drainAll(spool);
    });
    spool.close();
  });
  const backlog = { payloadBytes: total, written: store.written + drain.written, toDevice: store.toDevice + drain.toDevice };
  return { store, drain, backlog, online };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const given = process.argv[2];
  const dir = given ?? fs.mkdtempSync(path.join(process.cwd(), '.kerb-wear-'));
  fs.mkdirSync(dir, { recursive: true });
  if (onTmpfs(dir)) {
    process.stderr.write(`${dir} is on tmpfs, which never writes to a device: give a directory on a real disk\n`);
    process.exit(2);
  }
  const count = Number(process.argv[3] ?? 2_500);
  const every = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
  const figures = measureWriteAmplification(dir, syntheticBatches(count), every);
  if (given === undefined) fs.rmSync(dir, { recursive: true, force: true });
  const row = (name: string, f: PhaseFigures): string =>
    `${name.padEnd(8)} ${(f.payloadBytes / 1e6).toFixed(2)} MB payload   written ${f.written.toFixed(2)}x   to device ${f.toDevice.toFixed(2)}x`;
  process.stdout.write(`spool write amplification, ${count} batches, data in ${dir}\n`);
  for (const [name, f] of Object.entries(figures)) process.stdout.write(row(name, f) + '\n');
}
