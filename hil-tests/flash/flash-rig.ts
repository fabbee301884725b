/**
 * The technician's bench for `kerb flash` tests: a fake Espruino board behind a USB-serial
 * adapter on @serialport/binding-mock (UsbSerialBoard), firmware images built from the real
 * bundler, and the virtual clock driven while the flasher's real async I/O runs.
 */
import { createHash } from 'node:crypto';
import type { EspruinoBuild } from '../../firmware/targets/espruino/espruino-build.js';
import { bindingOpener, type FlashLine, type FlashOpener } from '../../scripts/flash/flash-line.js';
import type { FlashImage, FlashOptions } from '../../scripts/flash/flasher.js';
import { LAMP_PINS, lampConfig } from '../devices/lamp-config.js';
import { firmwareFor, nodeBuild } from '../harness/bundle-node.js';
import { FakeStorage } from '../harness/espruino/fake-storage.js';
import { runClock, settle } from '../harness/run-clock.js';
import { UsbSerialBoard, type UsbSerialBoardOptions } from '../harness/usb-serial-board.js';
import { VirtualClock } from '../harness/virtual-clock.js';

let boards = 0;

export interface Bench {
  clock: VirtualClock;
  board: UsbSerialBoard;
  opener: FlashOpener;
  logs: string[];
  warnings: string[];
  progress: Array<{ done: number; total: number; etaMs: number | undefined }>;
  options(image: FlashImage, extra?: Partial<FlashOptions>): FlashOptions;
  dispose(): Promise<void>;
}

export async function bench(options: Omit<UsbSerialBoardOptions, 'clock' | 'path'> = {}, powerOn = true): Promise<Bench> {
  const clock = new VirtualClock();
  // Room for a bundle staged beside the installed one: today's 32-40 KB bundles need ~80 KB.
  const storage = options.storage ?? new FakeStorage({ capacityBytes: 128 * 1024 });
  const board = await UsbSerialBoard.create({ clock, path: `/dev/ttyUSB-flash${++boards}`, ...options, storage });
  if (powerOn) board.powerOn();
  const logs: string[] = [];
  const warnings: string[] = [];
  const progress: Bench['progress'] = [];
  const opener = bindingOpener(board.binding);
  return {
    clock, board, opener, logs, warnings, progress,
    options: (image, extra = {}) => ({
      image, path: board.path, opener, clock, log: (l) => logs.push(l), warn: (l) => warnings.push(l),
      progress: (p) => progress.push({ done: p.done, total: p.total, etaMs: p.etaMs }), helloMs: 10_000, ...extra,
    }),
    dispose: async () => {
      board.dispose();
      await settle();
    },
  };
}

export function lampBuild(fw: string, overrides: Partial<EspruinoBuild> = {}): EspruinoBuild {
  return { ...nodeBuild('lamp', LAMP_PINS, lampConfig(), 'unprovisioned'), fw, profile: 'c0ffee42', ...overrides };
}

/** The image a verified signed bundle of `build` would give the flasher. */
export function imageOf(build: EspruinoBuild, claims: Partial<FlashImage> = {}): FlashImage {
  const code = firmwareFor(build);
  return {
    code, name: 'lamp-pir-pwm', kind: build.kind, fw: build.fw, profile: build.profile, baud: build.baud, deviceId: build.id,
    sha256: createHash('sha256').update(code).digest('hex'), keyId: '0123456789abcdef', ...claims,
  };
}

/** Runs `work` to completion while moving the virtual clock; `onStep` runs between steps. */
export async function driven<T>(clock: VirtualClock, work: Promise<T>, limitMs = 600_000, stepMs = 2, onStep?: () => void): Promise<T> {
  let finished = false;
  const result = work.finally(() => {
    finished = true;
  });
  result.catch(() => undefined);
  const end = clock.now() + limitMs;
  while (!finished && clock.now() < end) {
    await runClock(clock, stepMs, stepMs);
    onStep?.();
  }
  if (!finished) throw new Error(`still running after ${limitMs} ms of virtual time`);
  return result;
}

/**
 * An opener whose port changes one letter of the bundle on its way, once, after `afterBytes`:
 * inside a chunk's string literal, so the line still runs and only the checksum can tell.
 */
export function corruptingOpener(inner: FlashOpener, afterBytes: number): FlashOpener {
  const marker = '"kerb.new","';
  return async (path, baud) => {
    const line = await inner(path, baud);
    let sent = 0;
    let seen = '';
    let countdown = -1;
    const write = line.write.bind(line);
    return Object.assign(line, {
      write: (data: Buffer, cb: (err: Error | null | undefined) => void): boolean => {
        const out = Buffer.from(data);
        for (let i = 0; i < out.length; i++) {
          if (countdown === -2) break;
          seen = (seen + String.fromCharCode(out[i]!)).slice(-marker.length);
          if (countdown === -1 && sent + i >= afterBytes && seen === marker) countdown = 10;
          else if (countdown > 0) countdown--;
          else if (countdown === 0 && out[i]! >= 0x61 && out[i]! <= 0x79) {
            out[i] = out[i]! + 1;
            countdown = -2;
          }
        }
        sent += data.length;
        return write(out, cb);
      },
    }) as FlashLine;
  };
}
