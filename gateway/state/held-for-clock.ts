/**
 * A journal of the batches held for an untrusted wall clock (gateway.ts), so that a restart of the
 * gateway process before NTP answers (an upgrade, systemd restarting it after a crash or a
 * watchdog kill) does not lose up to a day of readings that were already accepted.
 *
 * Each held batch is appended as it is held (and synced, as the spool's commits are); the journal
 * is removed once they have all gone to the uplink. Their times are monotonic, and a new process
 * has a new monotonic origin, so the journal holds them in the kernel's monotonic clock (ms since
 * boot), which every process of one boot shares, under that boot's id. A start of the same boot
 * takes them up again (they are held again, in the same journal); after a reboot nothing relates
 * them to any wall time, so the file is set aside (renamed, not deleted) and the loss logged.
 *
 * The file: records of a 4-byte big-endian length and that many bytes of plain CBOR. The first is
 * the header {format, bootId}; each one after it is a held batch. A torn last record (a crash in
 * the middle of an append) is left out and the journal rewritten without it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { decodeCbor, encodeCbor } from '../batch/cbor.js';
import { DEVICE_KINDS } from '../batch/format.js';
import type { HeldBatch, HeldJournal } from '../gateway.js';
import type { Logger } from '../log/logger.js';
import type { MessageClass } from '../uplink/message-queue.js';
import { unusedName } from '../spool/move-aside.js';
import { syncDir, writeFileAtomically } from './durable-file.js';

export const HELD_FILE = 'held-for-clock.cbor';
const FORMAT = 1;

/** Maps a clock's monotonic times to and from ms since this machine booted. */
export interface MonotonicFrame {
  bootId: string;
  toBoot(t: number): number;
  fromBoot(ms: number): number;
}

const BOOT_ID = '/proc/sys/kernel/random/boot_id';

/**
 * The frame of SystemClock (performance.now()) on Linux: process.hrtime is CLOCK_MONOTONIC,
 * counted from boot, so their difference is this process's origin. Undefined without a boot id
 * (not Linux): held batches then cannot outlive the process.
 */
export function systemFrame(bootIdFile = BOOT_ID): MonotonicFrame | undefined {
  let bootId: string;
  try {
    bootId = fs.readFileSync(bootIdFile, 'utf8').trim();
  } catch {
    return undefined;
  }
  if (bootId === '') return undefined;
  // Both read the same clock (libuv's uv_hrtime), so the difference is fixed for the process;
  // read once, it is off by the microseconds between the two calls.
  const origin = Number(process.hrtime.bigint()) / 1e6 - performance.now();
  return { bootId, toBoot: (t) => t + origin, fromBoot: (ms) => ms - origin };
}

function shifted(batch: HeldBatch, shift: (t: number) => number): HeldBatch {
  return {
    ...batch,
    windows: batch.windows.map((w) => ({ ...w, start: shift(w.start), end: shift(w.end) })),
    events: batch.events.map((e) => ({ ...e, event: { ...e.event, time: shift(e.event.time) } })),
  };
}

/** One record: its length, then its CBOR. */
export function heldRecord(value: unknown): Buffer {
  const body = encodeCbor(value);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
}

/** The records of a journal, and where and why reading stopped early (a torn or damaged tail). */
function splitRecords(bytes: Buffer): { records: Buffer[]; stopped?: string } {
  const records: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < 4) return { records, stopped: `byte ${at}: a torn record length (${bytes.length - at} of 4 bytes)` };
    const length = bytes.readUInt32BE(at);
    if (length > bytes.length - at - 4) return { records, stopped: `byte ${at}: a record of ${length} bytes with ${bytes.length - at - 4} left (torn)` };
    records.push(bytes.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return { records };
}

export interface RestoreResult {
  batches: HeldBatch[];
  /** Records left out: damaged, or a torn tail. */
  skipped: number;
}

/**
 * The journal of one gateway data directory. Never throws once constructed: a write that fails
 * is logged (the batches stay held in memory, as without a journal) and the next one tries again.
 */
export class HeldJournalFile implements HeldJournal {
  readonly file: string;
  private fd: number | undefined;
  private failing = false;

  /** True when the last write failed: what is held now may not all be on disk. */
  get unwritten(): boolean {
    return this.failing;
  }

  constructor(dir: string, private readonly frame: MonotonicFrame, private readonly log: Logger) {
    this.file = path.join(dir, HELD_FILE);
  }

  /**
   * At start: the batches an earlier process of this boot held, in this process's clock. They
   * stay in the journal (they are held again). A journal from another boot, or one whose header
   * cannot be read, is renamed aside with the reason logged, and nothing is returned.
   */
  restore(): RestoreResult {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.log.error('clock.held-unreadable', { file: this.file, reason: (err as Error).message });
      return { batches: [], skipped: 0 };
    }
    const { records, stopped } = splitRecords(bytes);
    let bootId: string;
    try {
      if (records.length === 0) throw new Error(stopped ?? 'empty file');
      bootId = checkHeader(decodeCbor(records[0]!));
    } catch (err) {
      this.log.error('clock.held-unreadable', { file: this.file, reason: `header: ${(err as Error).message}`, setAside: setAside(this.file, 'unreadable') });
      return { batches: [], skipped: 0 };
    }
    const inBoot: HeldBatch[] = [];
    const problems: string[] = stopped !== undefined ? [stopped] : [];
    records.slice(1).forEach((record, i) => {
      try {
        inBoot.push(checkHeldBatch(decodeCbor(record), `batch ${i + 1}`));
      } catch (err) {
        problems.push((err as Error).message);
      }
    });
    if (bootId !== this.frame.bootId) {
      this.log.error('clock.held-unstampable', {
        file: this.file, batches: inBoot.length, setAside: setAside(this.file, bootId),
        detail: 'the machine restarted before the wall clock was set: nothing relates these batches to a wall time, so they are not sent',
      });
      return { batches: [], skipped: 0 };
    }
    const skipped = records.length - 1 - inBoot.length + (stopped !== undefined ? 1 : 0);
    if (problems.length > 0) {
      // Appending after a torn record would bury every later one: the journal is written again
      // from what could be read, and the original kept beside it.
      const aside = setAside(this.file, 'damaged');
      this.log.warn('clock.held-damaged', { file: this.file, kept: inBoot.length, skipped, reason: problems[0]!, setAside: aside });
      this.attempt(() => this.rewrite(inBoot));
    }
    if (inBoot.length === 0) {
      this.cleared();
      return { batches: [], skipped };
    }
    this.log.info('clock.held-restored', { file: this.file, batches: inBoot.length });
    return { batches: inBoot.map((b) => shifted(b, (ms) => this.frame.fromBoot(ms))), skipped };
  }

  added(batch: HeldBatch, all: readonly HeldBatch[]): void {
    // After a failed write the file may lack earlier batches: all of them are written again.
    if (this.failing) return this.replaced(all);
    this.attempt(() => {
      if (this.fd === undefined) {
        const fresh = !fs.existsSync(this.file);
        this.fd = fs.openSync(this.file, 'a', 0o600);
        if (fresh) fs.writeSync(this.fd, heldRecord({ format: FORMAT, bootId: this.frame.bootId }));
      }
      fs.writeSync(this.fd, heldRecord(shifted(batch, (t) => this.frame.toBoot(t))));
      fs.fdatasyncSync(this.fd);
    });
  }

  replaced(all: readonly HeldBatch[]): void {
    this.attempt(() => this.rewrite(all.map((b) => shifted(b, (t) => this.frame.toBoot(t)))));
  }

  cleared(): void {
    this.attempt(() => {
      this.close();
      fs.rmSync(this.file, { force: true });
      // Made durable: after a power cut a journal come back from the dead would be reported as
      // batches lost, though they were sent.
      syncDir(path.dirname(this.file));
    });
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    fs.closeSync(fd);
  }

  /** Writes the journal anew with `inBoot` (times already in the boot's clock). */
  private rewrite(inBoot: readonly HeldBatch[]): void {
    this.close();
    const parts = [heldRecord({ format: FORMAT, bootId: this.frame.bootId }), ...inBoot.map((b) => heldRecord(b))];
    writeFileAtomically(this.file, Buffer.concat(parts), 0o600);
  }

  private attempt(write: () => void): void {
    try {
      write();
      if (this.failing) this.log.info('clock.held-journal-recovered', { file: this.file });
      this.failing = false;
    } catch (err) {
      this.close();
      if (!this.failing) {
        this.log.error('clock.held-journal-failed', {
          file: this.file, reason: (err as Error).message,
          detail: 'held batches stay in memory: a restart before the wall clock is set would lose them',
        });
      }
      this.failing = true;
    }
  }
}

/** Renames `file` beside itself with `tag` (never over an earlier one), returning the new name or why it could not. */
function setAside(file: string, tag: string): string {
  const target = unusedName(`${file}.${tag.replace(/[^A-Za-z0-9-]/g, '_')}`);
  try {
    fs.renameSync(file, target);
    return target;
  } catch (err) {
    return `not set aside: ${(err as Error).message}`;
  }
}

const MESSAGE_CLASSES: ReadonlySet<string> = new Set<MessageClass>(['telemetry', 'alert']);
const KINDS: ReadonlySet<string> = new Set(DEVICE_KINDS);

type Fields = Record<string, unknown>;
const isMap = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (where: string, what: string): never => {
  throw new Error(`${where}: ${what}`);
};
const finite = (v: unknown, where: string): void => {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(where, `expected a finite number, found ${JSON.stringify(v)}`);
};
const text = (v: unknown, where: string): void => {
  if (typeof v !== 'string') fail(where, `expected a string, found ${JSON.stringify(v)}`);
};

/** The journal's header; returns its boot id. */
function checkHeader(value: unknown): string {
  if (!isMap(value)) return fail('header', 'not a CBOR map');
  if (value.format !== FORMAT) fail('format', `expected ${FORMAT}, found ${JSON.stringify(value.format)}`);
  text(value.bootId, 'bootId');
  return value.bootId as string;
}

/** Enough of a held batch's shape that a damaged record is refused here, not half-sent later. */
function checkHeldBatch(b: unknown, at: string): HeldBatch {
  if (!isMap(b)) return fail(at, 'expected a map');
  text(b.topic, `${at}.topic`);
  if (!MESSAGE_CLASSES.has(b.cls as string)) fail(`${at}.cls`, `expected one of ${[...MESSAGE_CLASSES].join(', ')}`);
  if (!Array.isArray(b.windows)) fail(`${at}.windows`, 'expected an array');
  (b.windows as unknown[]).forEach((w, j) => {
    const wat = `${at}.windows[${j}]`;
    if (!isMap(w)) return fail(wat, 'expected a map');
    text(w.device, `${wat}.device`);
    if (!KINDS.has(w.kind as string)) fail(`${wat}.kind`, `expected one of ${[...KINDS].join(', ')}`);
    if (!isMap(w.metric) || typeof w.metric.name !== 'string') fail(`${wat}.metric`, 'expected a metric with a name');
    if (!isMap(w.stats) || typeof w.stats.kind !== 'string') fail(`${wat}.stats`, 'expected window statistics');
    finite(w.start, `${wat}.start`);
    finite(w.end, `${wat}.end`);
  });
  if (!Array.isArray(b.events)) fail(`${at}.events`, 'expected an array');
  (b.events as unknown[]).forEach((e, j) => {
    const eat = `${at}.events[${j}]`;
    if (!isMap(e) || !isMap(e.event)) return fail(eat, 'expected a device event');
    text(e.device, `${eat}.device`);
    if (!KINDS.has(e.kind as string)) fail(`${eat}.kind`, `expected one of ${[...KINDS].join(', ')}`);
    text(e.event.name, `${eat}.event.name`);
    finite(e.event.time, `${eat}.event.time`);
  });
  return b as unknown as HeldBatch;
}
