/**
 * A FirmataHal on a MockFirmataBoard and a virtual clock, with the log kept in memory: the
 * setting of the Firmata backend's tests.
 */
import { FirmataHal, type FirmataHalOptions } from '../../gateway/hal/firmata/firmata-hal.js';
import { memoryLogger, type LogRecord } from '../../gateway/log/logger.js';
import { MockFirmataBoard, type MockFirmataBoardOptions } from '../harness/mock-firmata-board.js';
import { VirtualClock } from '../harness/virtual-clock.js';

export const PORT = '/dev/ttyACM0';

export interface FirmataRig {
  clock: VirtualClock;
  board: MockFirmataBoard;
  hal: FirmataHal;
  records: LogRecord[];
  /** The events logged so far, in order. */
  events(): string[];
}

export function firmataRig(
  board: Omit<MockFirmataBoardOptions, 'clock'> = {},
  hal: Partial<Omit<FirmataHalOptions, 'clock' | 'openIo' | 'log'>> = {},
): FirmataRig {
  const clock = new VirtualClock();
  const mock = new MockFirmataBoard({ clock, ...board });
  const { log, records } = memoryLogger();
  const h = new FirmataHal({ clock, port: PORT, openIo: mock.open, log, ...hal });
  return { clock, board: mock, hal: h, records, events: () => records.map((r) => r.event) };
}

/** A rig whose board is ready (started, and the clock turned once). */
export function readyRig(board: Omit<MockFirmataBoardOptions, 'clock'> = {}): FirmataRig {
  const rig = firmataRig(board);
  rig.hal.start();
  rig.clock.runDue();
  if (rig.hal.status().state !== 'ready') throw new Error(`the mock board did not come up: ${JSON.stringify(rig.hal.status())}`);
  return rig;
}
