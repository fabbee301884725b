/**
 * Batches held for an untrusted wall clock (gateway.ts), kept across a restart of the gateway
 * process: an upgrade, a crash-restart by systemd or a stop while NTP is still out of reach would
 * otherwise lose up to a day of readings that were already accepted.
 *
 * Their times are monotonic, and a new process has a new monotonic origin, so the file holds them
 * in the kernel's monotonic clock (ms since boot), which every process of one boot shares, under
 * that boot's id. They are read back only under the same boot id: after a reboot nothing relates
 * them to any wall time, so the file is set aside (renamed, not deleted) and the loss logged.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { decodeCbor, encodeCbor } from '../batch/cbor.js';
import { DEVICE_KINDS } from '../batch/format.js';
import type { HeldBatch } from '../gateway.js';
import type { Logger } from '../log/logger.js';
import type { MessageClass } from '../uplink/message-queue.js';
import { writeFileAtomically } from './secret-file.js';

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
 * (not Linux): held batches then cannot outlive the process, as before.
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

interface HeldFile {
  format: number;
  bootId: string;
  batches: HeldBatch[];
}

function shifted(batches: HeldBatch[], shift: (t: number) => number): HeldBatch[] {
  return batches.map((b) => ({
    ...b,
    windows: b.windows.map((w) => ({ ...w, start: shift(w.start), end: shift(w.end) })),
    events: b.events.map((e) => ({ ...e, event: { ...e.event, time: shift(e.event.time) } })),
  }));
}

/** Writes `batches` for the next process of this boot; throws with the file's name if it cannot. */
export function saveHeld(dir: string, frame: MonotonicFrame, batches: HeldBatch[]): string {
  const file = path.join(dir, HELD_FILE);
  const content: HeldFile = { format: FORMAT, bootId: frame.bootId, batches: shifted(batches, (t) => frame.toBoot(t)) };
  try {
    writeFileAtomically(file, encodeCbor(content), 0o600);
  } catch (err) {
    throw new Error(`${file}: could not write the held batches: ${(err as Error).message}`);
  }
  return file;
}

/**
 * The batches a previous process of this boot left, in this process's clock; the file is gone
 * afterwards (they are this process's to send or to save again). Never throws: a file from another
 * boot or one that cannot be read is renamed aside with the reason logged, and nothing is returned.
 */
export function loadHeld(dir: string, frame: MonotonicFrame, log: Logger): HeldBatch[] {
  const file = path.join(dir, HELD_FILE);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    log.error('clock.held-unreadable', { file, reason: (err as Error).message });
    return [];
  }
  let content: HeldFile;
  try {
    content = checkHeldFile(decodeCbor(bytes));
  } catch (err) {
    log.error('clock.held-unreadable', { file, reason: (err as Error).message, setAside: setAside(file, 'unreadable') });
    return [];
  }
  if (content.bootId !== frame.bootId) {
    log.error('clock.held-unstampable', {
      file, batches: content.batches.length, setAside: setAside(file, content.bootId),
      detail: 'the machine restarted before the wall clock was set: nothing relates these batches to a wall time, so they are not sent',
    });
    return [];
  }
  fs.rmSync(file, { force: true });
  log.info('clock.held-restored', { file, batches: content.batches.length });
  return shifted(content.batches, (ms) => frame.fromBoot(ms));
}

/** Renames `file` beside itself with `tag`, returning the new name (or why it could not). */
function setAside(file: string, tag: string): string {
  const target = `${file}.${tag.replace(/[^A-Za-z0-9-]/g, '_')}`;
  try {
    fs.renameSync(file, target);
    return target;
  } catch (err) {
    return `not set aside: ${(err as Error).message}`;
  }
}

const MESSAGE_CLASSES: ReadonlySet<string> = new Set<MessageClass>(['telemetry', 'alert']);
const KINDS: ReadonlySet<string> = new Set(DEVICE_KINDS);

/** Enough of the shape that a damaged file is refused here, not half-sent later. */
export function checkHeldFile(value: unknown): HeldFile {
  const fail = (where: string, what: string): never => {
    throw new Error(`${where}: ${what}`);
  };
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const finite = (v: unknown, where: string): void => {
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(where, `expected a finite number, found ${JSON.stringify(v)}`);
  };
  const text = (v: unknown, where: string): void => {
    if (typeof v !== 'string') fail(where, `expected a string, found ${JSON.stringify(v)}`);
  };
  if (!isObject(value)) return fail('file', 'not a CBOR map');
  if (value.format !== FORMAT) fail('format', `expected ${FORMAT}, found ${JSON.stringify(value.format)}`);
  text(value.bootId, 'bootId');
  if (!Array.isArray(value.batches)) fail('batches', 'expected an array');
  (value.batches as unknown[]).forEach((b, i) => {
    const at = `batches[${i}]`;
    if (!isObject(b)) return fail(at, 'expected a map');
    text(b.topic, `${at}.topic`);
    if (!MESSAGE_CLASSES.has(b.cls as string)) fail(`${at}.cls`, `expected one of ${[...MESSAGE_CLASSES].join(', ')}`);
    if (!Array.isArray(b.windows)) fail(`${at}.windows`, 'expected an array');
    (b.windows as unknown[]).forEach((w, j) => {
      const wat = `${at}.windows[${j}]`;
      if (!isObject(w)) return fail(wat, 'expected a map');
      text(w.device, `${wat}.device`);
      if (!KINDS.has(w.kind as string)) fail(`${wat}.kind`, `expected one of ${[...KINDS].join(', ')}`);
      if (!isObject(w.metric) || typeof w.metric.name !== 'string') fail(`${wat}.metric`, 'expected a metric with a name');
      if (!isObject(w.stats) || typeof w.stats.kind !== 'string') fail(`${wat}.stats`, 'expected window statistics');
      finite(w.start, `${wat}.start`);
      finite(w.end, `${wat}.end`);
    });
    if (!Array.isArray(b.events)) fail(`${at}.events`, 'expected an array');
    (b.events as unknown[]).forEach((e, j) => {
      const eat = `${at}.events[${j}]`;
      if (!isObject(e) || !isObject(e.event)) return fail(eat, 'expected a device event');
      text(e.device, `${eat}.device`);
      if (!KINDS.has(e.kind as string)) fail(`${eat}.kind`, `expected one of ${[...KINDS].join(', ')}`);
      text(e.event.name, `${eat}.event.name`);
      finite(e.event.time, `${eat}.event.time`);
    });
  });
  return value as unknown as HeldFile;
}
